//! The full export (X3). [`part`] writes one ZIP part into S3 as a
//! stream, and can stop between entries and carry on in another
//! invocation, writing exactly the bytes it would have in one go.

pub mod part;
