//! Regenerates ui/src/api/bindings.ts. CI runs this and then fails on `git diff --exit-code`, so a Rust type
//! change without regenerated bindings cannot land.

#[test]
fn typescript_bindings_are_written() {
    let text = qgp_core::bindings::typescript();
    assert!(text.contains("export interface Commands"), "the command map is part of the bindings");
    assert!(text.contains("\"incidents.create\": { input: IncidentInput; output: IncidentView }"), "{text}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/api/bindings.ts");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != text {
        std::fs::write(&path, &text).unwrap();
    }
}
