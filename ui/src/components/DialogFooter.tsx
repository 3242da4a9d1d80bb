import type { ReactNode } from "react";
import { Button, Group } from "@mantine/core";
import { ErrorAlert } from "./ErrorAlert";

/**
 * The foot of every form dialog: an error that belongs to no field (field errors show beside their fields), then
 * Cancel and the submit button.
 */
export function DialogFooter({ error, fields, onCancel, loading, testId, color, children }: {
  error: unknown;
  fields: Record<string, string>;
  onCancel: () => void;
  loading: boolean;
  testId: string;
  color?: string;
  children: ReactNode;
}) {
  return (
    <>
      {Boolean(error) && !Object.keys(fields).length && <ErrorAlert error={error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>Cancel</Button>
        <Button type="submit" color={color} loading={loading} data-testid={testId}>{children}</Button>
      </Group>
    </>
  );
}
