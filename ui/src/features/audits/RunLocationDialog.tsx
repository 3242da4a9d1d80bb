// Where an audit took place (§5): latitude and longitude, typed or taken from this computer's location service, with
// the accuracy it reports. A template that requires GPS cannot be completed until they are recorded.
import { useState } from "react";
import { Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { RunRecord } from "../../api/bindings";
import { DialogFooter } from "../../components/DialogFooter";

/** As typed: NumberInput hands over text while a number is half-written ("-", "-0."), kept so the sign survives. */
type Coordinates = { latitude: number | string; longitude: number | string; gpsAccuracyM: number | string };

const number = (v: number | string) => (v === "" || v === "-" ? undefined : Number(v));

export function RunLocationDialog({ run, onClose }: { run: RunRecord; onClose: () => void }) {
  const [c, setC] = useState<Coordinates>({
    latitude: run.latitude ?? "", longitude: run.longitude ?? "", gpsAccuracyM: run.gpsAccuracyM ?? "",
  });
  const [locating, setLocating] = useState<string | null>(null);
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("runs.update", {
      id: run.id, rowVersion: run.rowVersion,
      changes: { latitude: number(c.latitude), longitude: number(c.longitude), gpsAccuracyM: number(c.gpsAccuracyM) },
    }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const here = () => {
    if (!navigator.geolocation) { setLocating("This computer has no location service; type the coordinates."); return; }
    setLocating("Asking this computer for its location…");
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setC({ latitude: Number(p.coords.latitude.toFixed(7)), longitude: Number(p.coords.longitude.toFixed(7)), gpsAccuracyM: Math.round(p.coords.accuracy) });
        setLocating(null);
      },
      (e) => setLocating(`No location from this computer (${e.message || "refused"}); type the coordinates from a phone or map.`),
      { enableHighAccuracy: true, timeout: 15000 },
    );
  };
  const set = (k: keyof Coordinates) => (v: string | number) => setC((x) => ({ ...x, [k]: v }));
  return (
    <Modal opened onClose={onClose} title={`Location of ${run.reference}`}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <Text size="sm" c="dimmed">Decimal degrees, as a phone's map shows them (51.5072, -0.1276).</Text>
          <SimpleGrid cols={3}>
            <NumberInput label="Latitude" min={-90} max={90} decimalScale={7} value={c.latitude} onChange={set("latitude")} error={fields.latitude} data-testid="run-latitude" autoFocus />
            <NumberInput label="Longitude" min={-180} max={180} decimalScale={7} value={c.longitude} onChange={set("longitude")} error={fields.longitude} data-testid="run-longitude" />
            <NumberInput label="Accuracy (m)" min={0} value={c.gpsAccuracyM} onChange={set("gpsAccuracyM")} error={fields.gpsAccuracyM} data-testid="run-accuracy" />
          </SimpleGrid>
          <Group><Button variant="default" onClick={here}>Use this computer's location</Button></Group>
          {locating && <Text size="sm" data-testid="run-locating">{locating}</Text>}
          <DialogFooter error={save.error} fields={fields} onCancel={onClose} loading={save.isPending} testId="run-location-save">Save location</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}
