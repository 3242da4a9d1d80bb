/** The screens of the app; navigation is a small state machine, no URL router needed in a desktop shell. */
export type View =
  | { name: "dashboard" }
  | { name: "incidents" }
  | { name: "incident"; id: string }
  | { name: "incident-new" }
  | { name: "incident-edit"; id: string }
  | { name: "actions" }
  | { name: "users" }
  | { name: "health" };

export type Navigate = (view: View) => void;
