//! Walks every image-reading route with every role, for every class, against
//! moto. Each answer must match the permission table in `world.rs` (the same
//! table as the domain's matrix test): what a role may not see answers 404,
//! and nothing leaks through listings, search, albums, URLs or error bodies
//! (`reads.rs`). Then every route that changes an image, its album, its
//! grants or links, with every role but the owner's: each answers 404 (401
//! without a session) and changes nothing (`writes.rs`).

mod reads;
mod world;
mod writes;
