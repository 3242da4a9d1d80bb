import React from "react";
import ReactDOM from "react-dom/client";
import { Badge, MantineProvider, Table, createTheme } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./app/global.css";
import { App } from "./app/App";

const theme = createTheme({
  primaryColor: "blue",
  fontFamily: "system-ui, 'DejaVu Sans', sans-serif",
  // A status or severity cut to "ME…" in a crowded table says nothing: badges keep their whole (short) label.
  components: {
    Badge: Badge.extend({ styles: { root: { minWidth: "max-content" } } }),
    // A register's column headings stay in view below the app's fixed 56-px header while its rows scroll.
    Table: Table.extend({ defaultProps: { stickyHeaderOffset: 56 } }),
  },
});
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

ReactDOM.createRoot(document.getElementById("root")!).render(
  <React.StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </React.StrictMode>,
);
