//! The browser entry point: hydrates the server-rendered page.

// Leptos views are deeply nested types; release builds without type erasure need more
// room than the default to compute their layout.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes load their chunk before hydrating, which only the async entry point does.
    leptos::mount::hydrate_lazy(app::App);
}
