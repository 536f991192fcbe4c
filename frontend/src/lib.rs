//! The browser entry point: the islands of a page (the bootstrap in its head calls each one's
//! function as it finds it). Moving between pages is public/navigation.js.

// The islands are exported by the `app` crate, which nothing here calls: without this the
// linker would leave the crate, and every island with it, out of the bundle.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
