//! The browser entry point. Pages are whole HTML from the server; what runs here is only what
//! is interactive: the islands (the bootstrap calls each one's function as it finds it) and the
//! navigation that swaps pages in without a reload.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::navigation::start();
}
