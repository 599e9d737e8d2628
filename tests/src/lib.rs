//! Test harness: a moto server per test binary and a running printvault stack.
