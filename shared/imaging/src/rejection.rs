/// Why an upload was refused. `Display` is a sentence fit to show the customer;
/// [`Rejection::code`] is a stable machine-readable code.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum Rejection {
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the file is {} MB; the limit is {} MB", mebibytes_up(*bytes), mebibytes_down(*limit))]
    TooLarge { bytes: u64, limit: u64 },
    #[error(
        "the image is {width}×{height} pixels ({} MP); the limit is {} MP",
        megapixels_up(*width as u64 * *height as u64),
        megapixels_down(*limit)
    )]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("the image is {width}×{height} pixels, which is wider or taller than we accept")]
    DimensionsTooLarge { width: u32, height: u32 },
    #[error("the image is truncated: the file ends before the image data does")]
    Truncated,
    #[error("the image is damaged and cannot be read ({0})")]
    Corrupt(String),
}

impl Rejection {
    /// A stable code for APIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::NotAnImage => "not_an_image",
            Rejection::TooLarge { .. } => "too_large",
            Rejection::TooManyPixels { .. } => "too_many_pixels",
            Rejection::DimensionsTooLarge { .. } => "dimensions_too_large",
            Rejection::Truncated => "truncated",
            Rejection::Corrupt(_) => "corrupt",
        }
    }
}

// The customer's figure is rounded up and the limit down (to 0.1), so a refused image never
// reads as equal to its limit.
fn megapixels_up(pixels: u64) -> String {
    tenths(pixels.div_ceil(100_000))
}

fn megapixels_down(pixels: u64) -> String {
    tenths(pixels / 100_000)
}

fn mebibytes_up(bytes: u64) -> String {
    tenths(bytes.saturating_mul(10).div_ceil(1024 * 1024))
}

fn mebibytes_down(bytes: u64) -> String {
    tenths(bytes.saturating_mul(10) / (1024 * 1024))
}

fn tenths(t: u64) -> String {
    if t % 10 == 0 {
        format!("{}", t / 10)
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}
