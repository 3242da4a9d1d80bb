/** The screens of the app; navigation is a small state machine, no URL router needed in a desktop shell. */
export type View =
  | { name: "dashboard" }
  | { name: "incidents" }
  | { name: "incident"; id: string }
  | { name: "incident-new" }
  | { name: "incident-edit"; id: string }
  | { name: "risks"; cell?: { likelihood: number; impact: number } }
  | { name: "risk"; id: string }
  | { name: "risk-new" }
  | { name: "risk-edit"; id: string }
  | { name: "heat-map" }
  | { name: "actions"; search?: string }
  | { name: "investigations" }
  | { name: "investigation"; id: string }
  | { name: "complaints" }
  | { name: "complaint"; id: string }
  | { name: "complaint-new" }
  | { name: "complaint-edit"; id: string }
  | { name: "collisions" }
  | { name: "collision"; id: string }
  | { name: "collision-new" }
  | { name: "collision-edit"; id: string }
  | { name: "documents" }
  | { name: "document"; id: string }
  | { name: "document-new" }
  | { name: "document-edit"; id: string }
  | { name: "audits" }
  | { name: "run"; id: string }
  | { name: "findings" }
  | { name: "finding"; id: string }
  | { name: "templates" }
  | { name: "template"; id: string }
  | { name: "template-edit"; id: string }
  | { name: "standards" }
  | { name: "users" }
  | { name: "reports"; tab?: string }
  | { name: "settings" }
  | { name: "health" };

export type Navigate = (view: View) => void;

/** The page a record opens on, by its entity type (search hits, links, action sources). */
export function recordView(entityType: string, id: string, reference?: string | null): View | null {
  switch (entityType) {
    case "incident": return { name: "incident", id };
    case "risk": return { name: "risk", id };
    case "investigation": return { name: "investigation", id };
    case "complaint": return { name: "complaint", id };
    case "collision": return { name: "collision", id };
    case "document": return { name: "document", id };
    case "audit_run": return { name: "run", id };
    case "finding": return { name: "finding", id };
    case "template": return { name: "template", id };
    // An action from a periodic review opens the document, found by its reference.
    case "document_review": return reference ? { name: "document", id: reference } : null;
    default: return null;
  }
}
