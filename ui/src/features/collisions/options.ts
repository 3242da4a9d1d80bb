import type { CollisionSeverity, CollisionStatus, FaultDetermination, Lighting, RoadSurface, Weather } from "../../api/bindings";
import { humanise } from "../../components/badges";

const opts = <T extends string>(values: T[]) => values.map((value) => ({ value, label: humanise(value) }));

export const SEVERITY_OPTIONS = opts<CollisionSeverity>(["fatal", "serious_injury", "minor_injury", "damage_only", "near_miss"]);
export const STATUS_OPTIONS = opts<CollisionStatus>(["reported", "under_investigation", "pending_insurance", "actions_pending", "closed"]);
export const WEATHER_OPTIONS = opts<Weather>(["clear", "rain", "snow", "fog", "high_wind", "ice", "other"]);
export const SURFACE_OPTIONS = opts<RoadSurface>(["dry", "wet", "ice", "snow", "flood", "oil_or_mud", "other"]);
export const LIGHTING_OPTIONS = opts<Lighting>(["daylight", "dusk_or_dawn", "dark_lit", "dark_unlit"]);
export const FAULT_OPTIONS = opts<FaultDetermination>(["company_fault", "third_party_fault", "shared", "undetermined"]);

/** Pence as pounds for display: 125050 → "£1,250.50". */
export function money(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return "—";
  return new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" }).format(pence / 100);
}
