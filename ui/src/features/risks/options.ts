import type { AssessmentType, ControlEffectiveness, ControlType, ImplementationStatus, RiskCategory, RiskLevel, RiskStatus, TreatmentStrategy } from "../../api/bindings";
import { humanise } from "../../components/badges";

const opts = <T extends string>(values: T[]) => values.map((value) => ({ value, label: humanise(value) }));

export const CATEGORIES: RiskCategory[] = ["strategic", "operational", "financial", "compliance", "reputational", "safety", "environmental", "information_security"];
export const STRATEGIES: TreatmentStrategy[] = ["mitigate", "accept", "transfer", "avoid", "exploit"];
export const LEVELS: RiskLevel[] = ["very_low", "low", "medium", "high", "critical"];
export const STATUSES: RiskStatus[] = ["identified", "assessed", "treating", "monitoring", "closed"];
export const ASSESSMENT_TYPES: AssessmentType[] = ["initial", "periodic", "triggered", "post_incident"];
export const CONTROL_TYPES: ControlType[] = ["preventive", "detective", "corrective", "directive"];
export const IMPLEMENTATION: ImplementationStatus[] = ["planned", "in_progress", "implemented", "not_implemented", "not_applicable"];
export const EFFECTIVENESS: ControlEffectiveness[] = ["effective", "partially_effective", "ineffective", "not_tested"];

export const CATEGORY_OPTIONS = opts(CATEGORIES);
export const STRATEGY_OPTIONS = opts(STRATEGIES);
export const LEVEL_OPTIONS = opts(LEVELS);
export const STATUS_OPTIONS = opts(STATUSES);
export const ASSESSMENT_TYPE_OPTIONS = opts(ASSESSMENT_TYPES);
export const CONTROL_TYPE_OPTIONS = opts(CONTROL_TYPES);
export const IMPLEMENTATION_OPTIONS = opts(IMPLEMENTATION);
export const EFFECTIVENESS_OPTIONS = opts(EFFECTIVENESS);
export const SCALE_OPTIONS = ["1", "2", "3", "4", "5"].map((value) => ({ value, label: value }));

export const LIKELIHOOD_LABELS = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"];
export const IMPACT_LABELS = ["Negligible", "Minor", "Moderate", "Major", "Severe"];
