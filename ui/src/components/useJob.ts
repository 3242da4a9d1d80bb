import { useCallback, useEffect, useRef, useState } from "react";
import { AppError, call } from "../api/backend";
import type { JobView } from "../api/bindings";

/** Long commands (reports, exports, imports, packs) run as backend jobs: started, polled for progress, cancellable. */
export function useJob() {
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<number | undefined>(undefined);

  const poll = useCallback((jobId: string) => {
    timer.current = window.setTimeout(async () => {
      try {
        const next = await call("jobs.status", { jobId });
        setJob(next);
        if (next.state === "running") poll(jobId);
      } catch (e) {
        setError(e);
      }
    }, 250);
  }, []);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const start = useCallback(
    async (command: string, input: unknown) => {
      window.clearTimeout(timer.current);
      setError(null);
      setJob(null);
      try {
        const started = await call("jobs.start", { command, input });
        setJob(started);
        poll(started.jobId);
      } catch (e) {
        setError(e);
      }
    },
    [poll],
  );

  const cancel = useCallback(async () => {
    if (job) setJob(await call("jobs.cancel", { jobId: job.jobId }));
  }, [job]);

  const reset = useCallback(() => {
    window.clearTimeout(timer.current);
    setJob(null);
    setError(null);
  }, []);

  const failure = error ?? (job?.error && job.state === "failed" ? new AppError(job.error) : null);
  return { job, start, cancel, reset, running: job?.state === "running", failure };
}
