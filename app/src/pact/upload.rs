//! Reading the sign-up form as the browser sends it (multipart, with an optional logo) and
//! turning an uploaded logo into a small PNG of our own making.
//!
//! Every field is bounded while it is read, so a huge or malformed body costs little and is
//! answered field by field: text that is not UTF-8 is the field's problem, not a 500.

use crate::{Invalid, Problem};
use leptos::server_fn::codec::MultipartData;

/// Longest text field accepted as sent (bytes); the parsers apply tighter limits per field.
const MAX_TEXT_BYTES: usize = 8 * 1024;
/// More fields than any of our forms has: the rest is ignored.
const MAX_FIELDS: usize = 64;
/// The largest logo file accepted.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
/// Logos are stored at most this wide and high.
const LOGO_SIDE: u32 = 400;

/// A form as received: the first value of each text field, every value of a repeated one
/// (checkbox groups named `…[]`), the logo's bytes, and the problems met while reading.
#[derive(Debug, Default)]
pub struct Received {
    fields: Vec<(String, String)>,
    pub logo: Option<Vec<u8>>,
    pub invalid: Invalid,
}

impl Received {
    pub fn text(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn ticked(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, v)| k == name && v == "yes")
    }
}

/// Reads a multipart body. A body that is not multipart at all, or breaks off, is a problem of
/// the whole form.
pub async fn receive(data: MultipartData) -> Received {
    let mut out = Received::default();
    let Some(mut multipart) = data.into_inner() else {
        out.invalid.add(Invalid::FORM, Problem::Format);
        return out;
    };
    let mut seen = 0;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(error = %e, "unreadable multipart form");
                out.invalid.add(Invalid::FORM, Problem::Format);
                break;
            }
        };
        seen += 1;
        if seen > MAX_FIELDS {
            break;
        }
        let name = field
            .name()
            .unwrap_or_default()
            .trim_end_matches("[]")
            .to_owned();
        let limit = if name == "logo" {
            MAX_LOGO_BYTES
        } else {
            MAX_TEXT_BYTES
        };
        let mut bytes = Vec::new();
        let mut too_big = false;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        too_big = true;
                        // The rest of the field is skipped by the next `next_field`.
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::info!(error = %e, "multipart field broke off");
                    out.invalid.add(Invalid::FORM, Problem::Format);
                    return out;
                }
            }
        }
        if name == "logo" {
            if too_big {
                out.invalid.add("logo", Problem::FileTooLarge);
            } else if !bytes.is_empty() {
                out.logo = Some(bytes);
            }
            continue;
        }
        if too_big {
            out.invalid.add(&name, Problem::TooLong);
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(text) => out.fields.push((name, text)),
            Err(_) => out.invalid.add(&name, Problem::Characters),
        }
    }
    out
}

/// A logo as stored: PNG, at most `LOGO_SIDE` pixels a side, re-encoded from the decoded
/// pixels so that nothing of the uploaded file (metadata, trailing bytes, a polyglot) survives.
/// Only PNG, JPEG, WebP and GIF are read, judged by their bytes, not by name or stated type.
pub async fn make_logo(bytes: Vec<u8>) -> Result<Vec<u8>, Problem> {
    tokio::task::spawn_blocking(move || convert(&bytes))
        .await
        .map_err(|_| Problem::ImageType)?
}

fn convert(bytes: &[u8]) -> Result<Vec<u8>, Problem> {
    use image::{ImageFormat, ImageReader, Limits};
    let format = image::guess_format(bytes).map_err(|_| Problem::ImageType)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(Problem::ImageType);
    }
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    // A small file may claim enormous dimensions; decoding stops before allocating them.
    let mut limits = Limits::default();
    limits.max_image_width = Some(8000);
    limits.max_image_height = Some(8000);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| Problem::ImageType)?;
    let image = if image.width() > LOGO_SIDE || image.height() > LOGO_SIDE {
        image.thumbnail(LOGO_SIDE, LOGO_SIDE)
    } else {
        image
    };
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|_| Problem::ImageType)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 30, 30, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgba8(img)
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn logos_are_re_encoded_and_fit_the_box() {
        let stored = convert(&png(1200, 600)).unwrap();
        let back = image::load_from_memory(&stored).unwrap();
        assert_eq!((back.width(), back.height()), (400, 200));
        let small = convert(&png(50, 80)).unwrap();
        assert_eq!(
            image::guess_format(&small).unwrap(),
            image::ImageFormat::Png
        );
    }

    #[test]
    fn anything_but_a_raster_image_is_refused() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert_eq!(convert(svg), Err(Problem::ImageType));
        assert_eq!(convert(b"%PDF-1.7 not an image"), Err(Problem::ImageType));
        // The right magic bytes on a broken body.
        let mut broken = png(10, 10);
        broken.truncate(30);
        assert_eq!(convert(&broken), Err(Problem::ImageType));
    }
}
