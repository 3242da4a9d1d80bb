//! Long operations (reports, exports, imports, evidence packs) as background jobs: `jobs.start` runs a named
//! command on its own thread and database connection, `jobs.status` reports its progress, `jobs.cancel` asks it
//! to stop. The command itself is the ordinary one (`qgp call` runs it in the foreground); it reports progress
//! and checks for cancellation through [`Progress`], which every [`crate::context::Call`] carries.

use crate::clock::Clock;
use crate::config::Config;
use crate::context::{Actor, Ctx};
use crate::error::{CoreError, ErrorEnvelope, FieldCode, Result};
use crate::paths::AppPaths;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use ts_rs::TS;

/// Commands that may run as jobs: the long ones.
pub const JOB_COMMANDS: &[&str] = &[
    "exports.register",
    "exports.database",
    "reports.generate",
    "packs.create",
    "packs.verify",
    "imports.preview",
    "imports.run",
    "backup.create",
];

/// Called with (phase, done, total) when a phase starts.
type PhaseListener = Box<dyn Fn(&str, u64, u64) + Send>;

#[derive(Default)]
struct ProgressState {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
    phase: Mutex<String>,
    /// Called on every phase change (the CLI prints it).
    listener: Mutex<Option<PhaseListener>>,
}

/// Progress of one long command, shared between the worker and whoever watches; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<ProgressState>);

impl std::fmt::Debug for ProgressState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("done", &self.done).field("total", &self.total).field("cancelled", &self.cancelled).finish()
    }
}

impl Progress {
    /// Starts a phase ("Reading incidents") of `total` steps.
    pub fn phase(&self, name: &str, total: u64) -> Result<()> {
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(0, Ordering::Relaxed);
        if let Ok(mut p) = self.0.phase.lock() {
            name.clone_into(&mut p);
        }
        if let Ok(l) = self.0.listener.lock() {
            if let Some(l) = l.as_ref() {
                l(name, 0, total);
            }
        }
        self.check()
    }

    /// `n` more steps done; fails with `cancelled` once cancellation was asked for.
    pub fn advance(&self, n: u64) -> Result<()> {
        self.0.done.fetch_add(n, Ordering::Relaxed);
        self.check()
    }

    /// Fails with `cancelled` once cancellation was asked for.
    pub fn check(&self) -> Result<()> {
        if self.0.cancelled.load(Ordering::Relaxed) {
            Err(CoreError::Cancelled("Cancelled: nothing was written.".into()))
        } else {
            Ok(())
        }
    }

    /// Asks the work to stop at its next step.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    /// Calls `f(phase, done, total)` at every phase start (the CLI prints phases on stderr).
    pub fn on_phase(&self, f: impl Fn(&str, u64, u64) + Send + 'static) {
        if let Ok(mut l) = self.0.listener.lock() {
            *l = Some(Box::new(f));
        }
    }

    fn snapshot(&self) -> (String, u64, u64) {
        let phase = self.0.phase.lock().map(|p| p.clone()).unwrap_or_default();
        (phase, self.0.done.load(Ordering::Relaxed), self.0.total.load(Ordering::Relaxed))
    }
}

crate::choice_enum! {
    /// Where a job is.
    pub enum JobState { Running => "running", Succeeded => "succeeded", Failed => "failed", Cancelled => "cancelled" }
}

/// What `jobs.start` and `jobs.status` return.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    pub job_id: String,
    pub command: String,
    pub state: JobState,
    pub phase: String,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
    /// The command's output once it succeeded.
    #[ts(type = "unknown")]
    pub result: Option<Value>,
    /// The error once it failed or was cancelled.
    pub error: Option<ErrorEnvelope>,
}

/// Input of `jobs.start`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartJobInput {
    pub command: String,
    #[ts(type = "unknown")]
    pub input: Value,
}

/// Input of `jobs.status` and `jobs.cancel`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobIdInput {
    pub job_id: String,
}

struct Job {
    command: String,
    actor_id: String,
    progress: Progress,
    outcome: Mutex<Option<std::result::Result<Value, ErrorEnvelope>>>,
}

/// The jobs of this process (the app keeps one; finished jobs stay until the app closes — a handful per day).
#[derive(Default)]
pub struct JobRegistry {
    jobs: Mutex<BTreeMap<String, Arc<Job>>>,
}

/// What a job thread needs to open its own context.
#[derive(Clone)]
pub struct JobEnv {
    pub paths: AppPaths,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    pub registry: Arc<JobRegistry>,
}

fn view(id: &str, job: &Job) -> JobView {
    let (phase, done, total) = job.progress.snapshot();
    let outcome = job.outcome.lock().ok().and_then(|o| o.clone());
    let (state, result, error) = match outcome {
        None => (JobState::Running, None, None),
        Some(Ok(v)) => (JobState::Succeeded, Some(v), None),
        Some(Err(e)) if e.kind == crate::error::ErrorKind::Cancelled => (JobState::Cancelled, None, Some(e)),
        Some(Err(e)) => (JobState::Failed, None, Some(e)),
    };
    JobView { job_id: id.to_owned(), command: job.command.clone(), state, phase, done, total, result, error }
}

fn find(ctx: &Ctx, input: &Value) -> Result<(String, Arc<Job>)> {
    let parsed: JobIdInput =
        serde_json::from_value(input.clone()).map_err(|_| CoreError::field("jobId", FieldCode::Required, "Job is required"))?;
    let env = ctx.call.jobs.as_ref().ok_or_else(|| CoreError::Internal("jobs run only inside the app or CLI".into()))?;
    let actor = ctx.call.actor()?;
    let jobs = env.registry.jobs.lock().map_err(|_| CoreError::Internal("job list lock poisoned".into()))?;
    match jobs.get(&parsed.job_id) {
        // Someone else's job is as good as missing.
        Some(job) if job.actor_id == actor.id => Ok((parsed.job_id, job.clone())),
        _ => Err(CoreError::NotFound(format!("There is no job {}.", parsed.job_id))),
    }
}

/// `jobs.start`: runs a long command in the background as the signed-in profile.
pub fn start(ctx: &mut Ctx, input: Value) -> Result<JobView> {
    let parsed: StartJobInput = serde_json::from_value(input)
        .map_err(|e| CoreError::field("command", FieldCode::InvalidFormat, format!("A job needs a command and its input: {e}")))?;
    if !JOB_COMMANDS.contains(&parsed.command.as_str()) {
        return Err(CoreError::field(
            "command",
            FieldCode::InvalidChoice,
            format!("Command must be one of: {} (got '{}')", JOB_COMMANDS.join(", "), parsed.command),
        ));
    }
    let actor: Actor = ctx.call.actor()?.clone();
    let env = ctx.call.jobs.clone().ok_or_else(|| CoreError::Internal("jobs run only inside the app or CLI".into()))?;
    let id = crate::ids::new_id();
    let job = Arc::new(Job {
        command: parsed.command.clone(),
        actor_id: actor.id.clone(),
        progress: Progress::default(),
        outcome: Mutex::new(None),
    });
    env.registry.jobs.lock().map_err(|_| CoreError::Internal("job list lock poisoned".into()))?.insert(id.clone(), job.clone());
    let worker = job.clone();
    let job_id = id.clone();
    std::thread::Builder::new()
        .name(format!("job-{}", parsed.command))
        .spawn(move || {
            let outcome = run(&env, actor, &parsed.command, parsed.input, worker.progress.clone(), &job_id);
            if let Ok(mut o) = worker.outcome.lock() {
                *o = Some(outcome);
            }
        })
        .map_err(CoreError::Io)?;
    Ok(view(&id, &job))
}

/// Runs one command on a fresh connection, logged like [`crate::app::AppCore::invoke`].
fn run(
    env: &JobEnv,
    actor: Actor,
    name: &str,
    input: Value,
    progress: Progress,
    job_id: &str,
) -> std::result::Result<Value, ErrorEnvelope> {
    let request_id = crate::ids::new_id();
    let started = Instant::now();
    let result = crate::db::open_store(&env.paths).and_then(|mut conn| {
        let mut ctx = Ctx::new(&mut conn, env.clock.as_ref(), &env.paths, &env.config, Some(actor), request_id.clone())?;
        ctx.call.progress = progress;
        crate::commands::dispatch(&mut ctx, name, input)
    });
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(v) => {
            tracing::info!(command = name, request_id = %request_id, job_id, duration_ms, outcome = "ok", "job finished");
            Ok(v)
        }
        Err(e) => {
            let envelope = e.into_envelope(&request_id);
            tracing::warn!(command = name, request_id = %request_id, job_id, duration_ms, outcome = "error", kind = ?envelope.kind, error = %envelope.message, "job failed");
            Err(envelope)
        }
    }
}

/// `jobs.status`: progress, and the result once finished.
pub fn status(ctx: &mut Ctx, input: Value) -> Result<JobView> {
    let (id, job) = find(ctx, &input)?;
    Ok(view(&id, &job))
}

/// `jobs.cancel`: asks a running job to stop; it stops at its next step and writes nothing under the final name.
pub fn cancel(ctx: &mut Ctx, input: Value) -> Result<JobView> {
    let (id, job) = find(ctx, &input)?;
    job.progress.cancel();
    Ok(view(&id, &job))
}
