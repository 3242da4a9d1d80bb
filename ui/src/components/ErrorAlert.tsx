import { Alert, CopyButton, Button, Group, Text } from "@mantine/core";
import { AppError } from "../api/backend";

/** Shows a backend error: the message and its copyable request id, never a stack trace. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e = error instanceof AppError ? error : new AppError({ kind: "internal", message: String(error), requestId: "" });
  return (
    <Alert color="red" title={title ?? "That did not work"} data-testid="error-alert">
      <Text size="sm">{e.message}</Text>
      {e.envelope.requestId && (
        <Group gap="xs" mt="xs">
          <Text size="xs" c="dimmed">
            Request id: <span data-testid="request-id">{e.envelope.requestId}</span>
          </Text>
          <CopyButton value={e.envelope.requestId}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="subtle" onClick={copy}>
                {copied ? "Copied" : "Copy"}
              </Button>
            )}
          </CopyButton>
        </Group>
      )}
    </Alert>
  );
}
