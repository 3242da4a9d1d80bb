// Migrations are embedded at compile time; without this, a new SQL file would not trigger a rebuild (refinery#309).
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
