import type { ComplaintPriority, ComplaintSource, ComplaintStatus, ComplaintType } from "../../api/bindings";
import { humanise } from "../../components/badges";

const opts = <T extends string>(values: T[]) => values.map((value) => ({ value, label: humanise(value) }));

export const TYPES: ComplaintType[] = ["product", "service", "delivery", "communication", "billing", "staff", "environmental", "safety", "other"];
export const PRIORITIES: ComplaintPriority[] = ["critical", "high", "medium", "low"];
export const SOURCES: ComplaintSource[] = ["manual", "email", "phone", "letter", "in_person"];
export const STATUSES: ComplaintStatus[] = ["received", "acknowledged", "under_investigation", "resolved", "closed", "escalated"];

export const TYPE_OPTIONS = opts(TYPES);
export const PRIORITY_OPTIONS = opts(PRIORITIES);
export const SOURCE_OPTIONS = opts(SOURCES);
export const STATUS_OPTIONS = opts(STATUSES);
