import { Component, type ReactNode } from "react";
import { Alert, Button, Code, Stack } from "@mantine/core";

/** Keeps one broken screen from blanking the whole window; shows what broke and a way back. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: unknown }, { error: Error | null; key: unknown }> {
  state = { error: null as Error | null, key: undefined as unknown };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey?: unknown }, state: { error: Error | null; key: unknown }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Stack p="md" maw={720} data-testid="screen-error">
        <Alert color="red" title="This screen could not be shown">
          Nothing you saved is affected. Go to another screen and back, or restart the app.
          <Code block mt="sm">{this.state.error.message}</Code>
        </Alert>
        <Button w="fit-content" variant="default" onClick={() => this.setState({ error: null })}>Try again</Button>
      </Stack>
    );
  }
}
