import { useCallback, useEffect, useState } from "react";
import { Center, Loader } from "@mantine/core";
import { call, currentSession, SESSION_ENDED, startupError } from "../api/backend";
import type { AppStatus, ErrorEnvelope, UserView } from "../api/bindings";
import { SetupScreen, SignInScreen, StartupErrorScreen } from "./Gate";
import { Shell } from "./Shell";
import { setDisplayZone } from "../components/time";

type Boot = { kind: "loading" } | { kind: "startup-error"; error: ErrorEnvelope } | { kind: "ready"; status: AppStatus; user: UserView | null };

export function App() {
  const [boot, setBoot] = useState<Boot>({ kind: "loading" });

  const load = useCallback(async () => {
    const failed = await startupError();
    if (failed) return setBoot({ kind: "startup-error", error: failed });
    const status = await call("app.status", {});
    setDisplayZone(status.timeZone);
    const user = await currentSession();
    setBoot({ kind: "ready", status, user });
  }, []);

  // The backend ended the session: back to sign-in, saying why.
  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  useEffect(() => {
    const ended = (e: Event) => {
      setEndedBecause((e as CustomEvent<string>).detail);
      setBoot((b) => (b.kind === "ready" && b.user ? { ...b, user: null } : b));
    };
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, []);

  useEffect(() => {
    load().catch((e) => setBoot({ kind: "startup-error", error: e.envelope ?? { kind: "internal", message: String(e), requestId: "" } }));
  }, [load]);

  if (boot.kind === "loading") return <Center h="100vh"><Loader /></Center>;
  if (boot.kind === "startup-error") return <StartupErrorScreen error={boot.error} />;
  if (boot.status.needsSetup) return <SetupScreen onDone={(user) => setBoot({ ...boot, status: { ...boot.status, needsSetup: false }, user })} />;
  if (!boot.user) return <SignInScreen status={boot.status} notice={endedBecause} onDone={(user) => { setEndedBecause(null); setBoot({ ...boot, user }); }} />;
  return <Shell user={boot.user} status={boot.status} onSignedOut={() => setBoot({ ...boot, user: null })} />;
}
