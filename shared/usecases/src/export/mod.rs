//! The full export (X3). [`part`] writes one ZIP part into S3 as a
//! stream, and can stop between entries and carry on in another
//! invocation, writing exactly the bytes it would have in one go.
//! [`prepare`] reads an account from the stores into the export's manifest
//! and the plan of its parts. [`jobs`] is what the api does with exports;
//! [`run`] is one step of the `export` function.

pub mod jobs;
pub mod part;
pub mod prepare;
pub mod run;
