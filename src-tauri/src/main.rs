// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's DMA-BUF renderer costs ~100 MB in the web process and buys nothing for forms and tables
    // (docs/performance.md, docs/decisions/0001); it is also the usual cause of blank windows on some GPU drivers.
    // Set before any thread starts; a user or packager can turn it back on by setting the variable to 0.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    qgp_desktop_lib::run();
}
