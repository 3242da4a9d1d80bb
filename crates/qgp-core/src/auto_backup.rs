//! Automatic backups while the desktop app is open (docs/decisions/0002): officers rarely think of "Back up now",
//! and a laptop that dies in the field should cost at most a day. When the newest backup in the backup folder is
//! `backup.every_hours` old (config.toml, 24 by default, 0 = off), one is taken on a background thread with its own
//! connection, so the window never waits for it. Manual and automatic backups share the folder and its retention.

use crate::backup::BackupInfo;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::Result;
use crate::paths::AppPaths;
use std::sync::Arc;
use std::time::Duration;

/// What one look at the schedule did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoBackup {
    /// `backup.every_hours = 0`.
    Off,
    /// No profile exists yet: there is nothing to protect.
    NothingRecorded,
    /// The newest backup is younger than the interval.
    NotDue {
        newest_age_hours: i64,
    },
    Taken(BackupInfo),
}

/// Takes a backup if one is due. `paths` must already carry the configured backup folder.
pub fn run_if_due(paths: &AppPaths, config: &Config, clock: &dyn Clock) -> Result<AutoBackup> {
    if config.backup_every_hours == 0 {
        return Ok(AutoBackup::Off);
    }
    let now = clock.now();
    if let Some((_, age)) = crate::backup::newest_age_hours(&paths.backup_dir, now)? {
        if age < i64::from(config.backup_every_hours) {
            return Ok(AutoBackup::NotDue { newest_age_hours: age });
        }
    }
    let conn = crate::db::open_store(paths)?;
    if crate::users::needs_setup(&conn)? {
        return Ok(AutoBackup::NothingRecorded);
    }
    let now_text = crate::clock::format_instant(now);
    let taken = crate::backup::create(&conn, paths, config.backup_retention, &now_text, &Default::default())?;
    crate::trail_anchor::record(&conn, paths, &now_text, false);
    crate::backup::copy_off_if_configured(&taken, config, &paths.backup_dir);
    Ok(AutoBackup::Taken(taken))
}

/// How long after start the first look waits (the first screen and sign-in come first), and how often it looks again.
const FIRST_LOOK: Duration = Duration::from_secs(20);
const LOOK_EVERY: Duration = Duration::from_secs(60 * 60);

/// Starts the schedule on its own thread for the life of the process. Outcomes go to the log only; the Health panel
/// shows the newest backup's age, and warns when backups stop happening.
pub fn start(paths: AppPaths, config: Config, clock: Arc<dyn Clock>) {
    if config.backup_every_hours == 0 {
        tracing::info!("automatic backups are off (backup.every_hours = 0)");
        return;
    }
    let spawned = std::thread::Builder::new().name("auto-backup".into()).spawn(move || {
        std::thread::sleep(FIRST_LOOK);
        loop {
            let started = std::time::Instant::now();
            match run_if_due(&paths, &config, clock.as_ref()) {
                Ok(AutoBackup::Taken(b)) => tracing::info!(
                    file = %b.file_name,
                    bytes = b.size_bytes,
                    duration_ms = started.elapsed().as_millis() as u64,
                    "automatic backup taken"
                ),
                Ok(other) => tracing::debug!(outcome = ?other, "automatic backup not needed"),
                Err(e) => tracing::warn!(error = %e, "automatic backup failed; will try again in an hour"),
            }
            std::thread::sleep(LOOK_EVERY);
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "automatic backups could not start");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::AppCore;
    use crate::clock::FixedClock;
    use serde_json::json;

    fn opened(dir: &std::path::Path, config: &Config, clock: Arc<FixedClock>) -> AppCore {
        AppCore::open_with(AppPaths::under(dir), config.clone(), Box::new(clock)).unwrap()
    }

    fn set_up_admin(core: &mut AppCore) -> serde_json::Value {
        core.invoke(
            None,
            "users.setup",
            json!({"displayName": "Ada Admin", "email": "ada@example.com", "passphrase": "correct horse battery"}),
        )
        .unwrap()
    }

    /// The Health panel's Backups line, as the administrator sees it.
    fn backups_line(core: &mut AppCore, admin: &serde_json::Value) -> (String, String) {
        let actor = crate::context::Actor {
            id: admin["id"].as_str().unwrap().to_owned(),
            display_name: "Ada Admin".into(),
            role: crate::authz::Role::Admin,
        };
        let report = core.invoke(Some(actor), "health.report", json!({})).unwrap();
        let line = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "backup.age").unwrap().clone();
        (line["status"].as_str().unwrap().to_owned(), line["detail"].as_str().unwrap().to_owned())
    }

    #[test]
    fn a_backup_is_taken_when_the_newest_is_as_old_as_the_interval_and_not_before() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::at("2026-11-27T08:00:00Z"));
        let config = Config { backup_every_hours: 24, backup_retention: 2, ..Config::default() };
        let mut core = opened(dir.path(), &config, clock.clone());
        let paths = core.paths.clone();

        // A fresh installation has nothing to protect yet.
        assert_eq!(run_if_due(&paths, &config, clock.as_ref()).unwrap(), AutoBackup::NothingRecorded);
        assert!(crate::backup::list(&paths.backup_dir).unwrap().is_empty());

        let admin = set_up_admin(&mut core);
        let (status, detail) = backups_line(&mut core, &admin);
        assert_eq!(status, "warn");
        assert!(detail.starts_with("No backup has been taken yet; automatic backup every 24 h"), "{detail}");
        let AutoBackup::Taken(first) = run_if_due(&paths, &config, clock.as_ref()).unwrap() else { panic!("no backup taken") };
        let check = crate::backup::verify(std::path::Path::new(&first.path)).unwrap();
        assert!(check.ok, "{check:?}");
        let (status, detail) = backups_line(&mut core, &admin);
        assert_eq!(status, "ok");
        assert!(detail.contains("(less than an hour ago); automatic backup every 24 h"), "{detail}");

        clock.set("2026-11-28T07:59:59Z");
        assert_eq!(run_if_due(&paths, &config, clock.as_ref()).unwrap(), AutoBackup::NotDue { newest_age_hours: 23 });
        clock.set("2026-11-28T08:00:00Z");
        assert!(matches!(run_if_due(&paths, &config, clock.as_ref()).unwrap(), AutoBackup::Taken(_)));
        clock.set("2026-11-29T09:00:00Z");
        assert!(matches!(run_if_due(&paths, &config, clock.as_ref()).unwrap(), AutoBackup::Taken(_)));

        // Retention holds for automatic backups too: the newest two are kept.
        let kept: Vec<String> = crate::backup::list(&paths.backup_dir).unwrap().into_iter().map(|b| b.created_at).collect();
        assert_eq!(kept, vec!["2026-11-29T09:00:00.000Z", "2026-11-28T08:00:00.000Z"]);
    }

    #[test]
    fn no_backup_is_taken_when_they_are_turned_off() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::at("2026-11-27T08:00:00Z"));
        let config = Config { backup_every_hours: 0, ..Config::default() };
        let mut core = opened(dir.path(), &config, clock.clone());
        let admin = set_up_admin(&mut core);
        assert_eq!(run_if_due(&core.paths, &config, clock.as_ref()).unwrap(), AutoBackup::Off);
        assert!(crate::backup::list(&core.paths.backup_dir).unwrap().is_empty());
        let (_, detail) = backups_line(&mut core, &admin);
        assert!(detail.contains("automatic backups are off (backup.every_hours = 0 in config.toml)"), "{detail}");
    }
}
