import type { IncidentSeverity, IncidentSource, IncidentStatus, IncidentType, PersonType, RiddorCategory } from "../../api/bindings";
import { humanise } from "../../components/badges";

const opts = <T extends string>(values: readonly T[]) => values.map((value) => ({ value, label: humanise(value) }));

export const STATUSES = ["reported", "under_investigation", "actions_pending", "closed"] as const satisfies readonly IncidentStatus[];
export const SEVERITIES = ["critical", "high", "medium", "low", "negligible"] as const satisfies readonly IncidentSeverity[];
export const TYPES = [
  "injury", "ill_health", "near_miss", "dangerous_occurrence", "hazard", "property_damage", "environmental", "security", "quality", "other",
] as const satisfies readonly IncidentType[];
export const SOURCES = ["manual", "phone", "email", "paper"] as const satisfies readonly IncidentSource[];
export const PERSON_TYPES = ["employee", "contractor", "agency_worker", "visitor", "member_of_public", "other"] as const satisfies readonly PersonType[];
export const RIDDOR_CATEGORIES = [
  "death", "specified_injury", "over_7_day_incapacitation", "non_worker_to_hospital", "occupational_disease", "dangerous_occurrence", "gas_incident",
] as const satisfies readonly RiddorCategory[];

export const STATUS_OPTIONS = opts(STATUSES);
export const SEVERITY_OPTIONS = opts(SEVERITIES);
export const TYPE_OPTIONS = opts(TYPES);
export const SOURCE_OPTIONS = opts(SOURCES);
export const PERSON_TYPE_OPTIONS = opts(PERSON_TYPES);
export const RIDDOR_OPTIONS = opts(RIDDOR_CATEGORIES);
