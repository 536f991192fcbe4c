//! The scripts of a page: public/navigation.js (moving between pages without a reload) and one
//! inline bootstrap that, on a page with islands, fetches the WebAssembly bundle, starts it and
//! hydrates them. A page without islands (most of them: lists, forms) fetches no WebAssembly.
//! The bootstrap's text is fixed for a build, so the pages' Content-Security-Policy names it by
//! its SHA-256 hash: no per-request nonce, and a page kept in the page cache carries a policy
//! that still admits it.
//!
//! With JavaScript off nothing here runs, and no `<link rel=preload>` makes the browser fetch
//! the bundle anyway.

use leptos::config::LeptosOptions;
use leptos::prelude::*;
use std::sync::OnceLock;

/// The bootstrap of this build: its text and the CSP source that admits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boot {
    pub script: String,
    /// `'sha256-…'`, ready for `script-src`.
    pub source: String,
}

impl Boot {
    /// The bootstrap for the bundle under `/{pkg}/` named `js` and `wasm` (without extension).
    ///
    /// The bundle is fetched the first time a page has an island, the WebAssembly beside the
    /// JavaScript glue rather than after it. Islands of a page swapped in later by
    /// navigation.js are hydrated through `window.__lcHydrate`.
    pub fn new(pkg: &str, js: &str, wasm: &str) -> Self {
        let script = format!(
            "((p,j,w)=>{{let m;const l=()=>m||(m=(async()=>{{const b=fetch(`${{p}}/${{w}}.wasm`);\
             const x=await import(`${{p}}/${{j}}.js`);await x.default({{module_or_path:b}});\
             x.hydrate();return x}})());\
             const h=async r=>{{const i=r.querySelectorAll(\"leptos-island\");if(!i.length)return;\
             const x=await l();for(const e of i){{if(e.$$lc)continue;e.$$lc=1;\
             const f=x[e.dataset.component];if(f)f(e)}}}};\
             window.__lcHydrate=h;h(document)}})({pkg:?},{js:?},{wasm:?})"
        );
        let source = csp_hash(&script);
        Boot { script, source }
    }
}

/// The `'sha256-…'` source of an inline script's exact text.
pub fn csp_hash(text: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The bootstrap of the build this server serves: the file names come from the hash file
/// cargo-leptos writes beside the binary when it hashes the bundle's names.
pub fn boot(options: &LeptosOptions) -> &'static Boot {
    static BOOT: OnceLock<Boot> = OnceLock::new();
    BOOT.get_or_init(|| {
        let name = options.output_name.to_string();
        let (mut js, mut wasm) = (name.clone(), name);
        if options.hash_files {
            let file = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|d| d.join(options.hash_file.as_ref())));
            match file.map(std::fs::read_to_string) {
                Some(Ok(hashes)) => {
                    for (kind, hash) in hashes.lines().filter_map(|l| l.split_once(':')) {
                        match kind.trim() {
                            "js" => js = format!("{js}.{}", hash.trim()),
                            "wasm" => wasm = format!("{wasm}.{}", hash.trim()),
                            _ => {}
                        }
                    }
                }
                _ => tracing::error!("the bundle's hash file is missing: pages will not hydrate"),
            }
        }
        Boot::new(&format!("/{}", options.site_pkg_dir), &js, &wasm)
    })
}

/// The Content-Security-Policy of every page: our own files, the bootstrap by its hash, and
/// WebAssembly, which needs 'wasm-unsafe-eval' to compile. A configured tile server is the one
/// other place images may come from. Pages are never framed.
pub fn page_policy(options: &LeptosOptions, tiles: Option<&crate::TileLayer>) -> String {
    policy(options, tiles, "'none'", None)
}

/// The policy of a widget's page: a page's, framed by `frame_ancestors`, with the style sheet
/// of its theme admitted by its hash (`style`, `'sha256-…'`).
pub fn widget_policy(
    options: &LeptosOptions,
    tiles: Option<&crate::TileLayer>,
    frame_ancestors: &str,
    style: Option<&str>,
) -> String {
    policy(options, tiles, frame_ancestors, style)
}

fn policy(
    options: &LeptosOptions,
    tiles: Option<&crate::TileLayer>,
    frame_ancestors: &str,
    style: Option<&str>,
) -> String {
    let tiles = tiles
        .and_then(|t| t.origin())
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    let style = style.map(|s| format!(" {s}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' {} 'wasm-unsafe-eval'; style-src 'self'{style}; \
         img-src 'self' data:{tiles}; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}",
        boot(options).source
    )
}

/// The bootstrap script, for the page's `<head>`.
#[component]
pub fn Bootstrap(options: LeptosOptions) -> impl IntoView {
    // Islands render on the server as plain HTML, and nothing outside them hydrates: the data
    // a page's resources loaded are not written into the page for the browser.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let boot = boot(&options);
    view! {
        <script type="module" src="/navigation.js"></script>
        <script type="module" inner_html=boot.script.clone()></script>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_that_of_the_exact_text() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn the_bootstrap_names_its_files_and_changes_with_them() {
        let a = Boot::new("/pkg", "learning-city.abc", "learning-city.def");
        assert!(a
            .script
            .contains(r#"("/pkg","learning-city.abc","learning-city.def")"#));
        let b = Boot::new("/pkg", "learning-city.abd", "learning-city.def");
        assert_ne!(a.source, b.source);
        assert_eq!(a.source, csp_hash(&a.script));
    }
}
