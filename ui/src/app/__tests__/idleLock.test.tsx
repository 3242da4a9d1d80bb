import { describe, expect, it, vi } from "vitest";
import { act, render, screen } from "@testing-library/react";
import { QueryClient, QueryClientProvider, useMutation } from "@tanstack/react-query";
import { KEEP_ALIVE_MS, settleBeforeLock, useIdleLock } from "../idleLock";

/** An answer box that saves when left, slowly, as an audit answer does. */
function AnswerBox({ save }: { save: (text: string) => Promise<void> }) {
  const m = useMutation({ mutationFn: save });
  return <textarea data-testid="answer" onBlur={(e) => m.mutate(e.currentTarget.value)} defaultValue="" />;
}

describe("the idle lock", () => {
  it("lets the field being typed in save, and waits for the save, before the session ends", async () => {
    const client = new QueryClient();
    const saved: string[] = [];
    const save = (text: string) => new Promise<void>((done) => setTimeout(() => { saved.push(text); done(); }, 300));
    render(<QueryClientProvider client={client}><AnswerBox save={save} /></QueryClientProvider>);
    const box = screen.getByTestId("answer") as HTMLTextAreaElement;
    box.focus();
    box.value = "Guard rail missing on the north side";
    await act(() => settleBeforeLock(client));
    expect(saved).toEqual(["Guard rail missing on the north side"]);
    expect(client.isMutating()).toBe(0);
  });

  it("locks after the idle minutes, and any input starts the wait again", async () => {
    vi.useFakeTimers();
    const lock = vi.fn();
    const client = new QueryClient();
    function Probe() {
      useIdleLock(1, client, lock);
      return null;
    }
    render(<Probe />);
    await act(async () => { await vi.advanceTimersByTimeAsync(50_000); });
    window.dispatchEvent(new Event("keydown"));
    await act(async () => { await vi.advanceTimersByTimeAsync(50_000); });
    expect(lock).not.toHaveBeenCalled();
    await act(async () => { await vi.advanceTimersByTimeAsync(11_000); });
    expect(lock).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });

  it("tells the backend the user is active at most once a minute, so its own idle limit does not end a busy session", async () => {
    vi.useFakeTimers();
    const keepAlive = vi.fn();
    const client = new QueryClient();
    function Probe() {
      useIdleLock(15, client, vi.fn(), keepAlive);
      return null;
    }
    render(<Probe />);
    window.dispatchEvent(new Event("mousemove"));
    expect(keepAlive).not.toHaveBeenCalled();
    await act(async () => { await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS); });
    window.dispatchEvent(new Event("keydown"));
    window.dispatchEvent(new Event("mousemove"));
    expect(keepAlive).toHaveBeenCalledTimes(1);
    await act(async () => { await vi.advanceTimersByTimeAsync(30_000); });
    window.dispatchEvent(new Event("wheel"));
    expect(keepAlive).toHaveBeenCalledTimes(1);
    await act(async () => { await vi.advanceTimersByTimeAsync(30_000); });
    window.dispatchEvent(new Event("mousedown"));
    expect(keepAlive).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
