//! Running the real `qgp` binary against a data directory, as a script would: signed in as ada@example.com.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub const EMAIL: &str = "ada@example.com";
pub const PASS: &str = "correct horse battery";

/// `qgp ARGS` on `dir` with extra environment variables.
pub fn qgp_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qgp"));
    cmd.args(args).env("QGP_DATA_DIR", dir).env("QGP_USER", EMAIL).env("QGP_PASSPHRASE", PASS);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("qgp runs")
}

/// `qgp ARGS` on `dir`.
pub fn qgp(dir: &Path, args: &[&str]) -> Output {
    qgp_env(dir, args, &[])
}

/// What the command printed on standard output, as JSON.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}
