//! Migration safety: backup before migrating, restore on failure, refuse a newer schema untouched.

use qgp_core::db;

fn migration(name: &str, sql: &str) -> refinery::Migration {
    refinery::Migration::unapplied(name, sql).unwrap()
}

#[test]
fn a_failing_migration_restores_the_pre_migration_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut conn = db::open(&path).unwrap();
    let v1 = vec![migration("V1__base", "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")];
    db::migrate(&mut conn, &v1, dir.path(), "a").unwrap();
    let mut v2 = v1.clone();
    v2.push(migration("V2__broken", "INSERT INTO t VALUES (2); CREATE TABLE t (y);"));
    let err = db::migrate(&mut conn, &v2, dir.path(), "b").unwrap_err().to_string();
    assert!(err.contains("was restored"), "{err}");
    let rows: i64 = conn.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 1, "the half-applied migration left nothing behind");
    assert!(dir.path().join("pre-migration-v1-b.sqlite3").exists(), "backup taken before migrating");
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut conn = db::open(&path).unwrap();
    let v2 = vec![migration("V1__a", "CREATE TABLE a (x);"), migration("V2__b", "CREATE TABLE b (x);")];
    db::migrate(&mut conn, &v2, dir.path(), "a").unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = db::migrate(&mut conn, &v2[..1], dir.path(), "b").unwrap_err();
    assert_eq!(err.kind(), qgp_core::error::ErrorKind::IncompatibleDatabase);
    assert!(err.to_string().contains("newer version"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn embedded_migrations_apply_to_an_empty_database() {
    let conn = db::migrated_in_memory().unwrap();
    let fk: String = conn.query_row("PRAGMA foreign_keys", [], |r| r.get::<_, i64>(0)).map(|v| v.to_string()).unwrap();
    assert_eq!(fk, "1");
}
