//! How printlab reaches printvault's api and the images' presigned URLs:
//! HTTPS through rustls, trusting the platform's root certificates (and any
//! CA the lab adds with `--ca-cert`). Plain HTTP only when asked for with
//! `--insecure-http`, for a local stack; never as a fallback.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

/// How printlab's HTTP client is built.
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    /// Allow `http://` for the api and the images (a local stack). Off:
    /// every request is HTTPS, redirects included.
    pub insecure_http: bool,
    /// A PEM file of CA certificates to trust besides the platform's (a
    /// company proxy's CA, or a test CA).
    pub ca_cert: Option<PathBuf>,
}

/// Makes aws-lc-rs the process's rustls crypto provider, as reqwest is
/// built without one of its own (the AWS SDK's provider, not a second one).
/// Call it before making any `reqwest::Client`; calling it again does no
/// harm.
pub fn install_crypto_provider() {
    // Err only when a provider is installed already: that one stays.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// printlab's HTTP client: rustls with the platform's roots and
/// `opts.ca_cert`'s, HTTPS only unless `opts.insecure_http`, and no
/// redirects (the lab's key goes to the api it was given, nowhere else).
pub fn http_client(opts: &HttpOptions) -> anyhow::Result<reqwest::Client> {
    install_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .https_only(!opts.insecure_http)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(30));
    if let Some(path) = &opts.ca_cert {
        for cert in read_ca_certs(path)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .context("setting up HTTPS (the platform's root certificates, and --ca-cert's)")
}

/// The certificates of a PEM file: at least one, or a clear error.
fn read_ca_certs(path: &Path) -> anyhow::Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(path).with_context(|| format!("reading --ca-cert {}", path.display()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .with_context(|| format!("--ca-cert {} is not a PEM file of certificates", path.display()))?;
    if certs.is_empty() {
        bail!(
            "--ca-cert {} holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)",
            path.display()
        );
    }
    Ok(certs)
}

/// Checks the api's base URL: `https://`, or `http://` with
/// `insecure_http`. Returns it without a trailing `/`.
pub fn check_api(api: &str, insecure_http: bool) -> anyhow::Result<String> {
    let url = reqwest::Url::parse(api)
        .with_context(|| format!("--api {api:?} is not a URL (https://api.example.com)"))?;
    if url.host_str().is_none_or(str::is_empty) {
        bail!("--api {api:?} names no host (https://api.example.com)");
    }
    match url.scheme() {
        "https" => {}
        "http" if insecure_http => {}
        "http" => bail!(
            "--api {api} is plain HTTP: printlab reaches printvault over HTTPS only \
             (https://…). For a local stack without TLS, add --insecure-http."
        ),
        other => {
            bail!("--api {api} is {other}://; printlab speaks https:// (or http:// with --insecure-http)")
        }
    }
    Ok(api.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_must_be_https_unless_insecure_http_is_given() {
        assert_eq!(
            check_api("https://api.example.com/", false).unwrap(),
            "https://api.example.com"
        );
        let e = format!("{:#}", check_api("http://127.0.0.1:8080", false).unwrap_err());
        assert!(e.contains("--insecure-http") && e.contains("HTTPS"), "{e}");
        assert_eq!(
            check_api("http://127.0.0.1:8080", true).unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "",
            "api.example.com",
            "ftp://api.example.com",
            "https://",
            "file:///etc/passwd",
        ] {
            assert!(check_api(bad, true).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn a_ca_file_without_certificates_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let e = format!(
            "{:#}",
            http_client(&HttpOptions {
                insecure_http: false,
                ca_cert: Some(missing.clone()),
            })
            .unwrap_err()
        );
        assert!(e.contains("--ca-cert") && e.contains("missing.pem"), "{e}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let e = format!(
            "{:#}",
            http_client(&HttpOptions {
                insecure_http: false,
                ca_cert: Some(empty),
            })
            .unwrap_err()
        );
        assert!(e.contains("holds no certificate"), "{e}");
        let broken = dir.path().join("broken.pem");
        std::fs::write(
            &broken,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        assert!(http_client(&HttpOptions {
            insecure_http: false,
            ca_cert: Some(broken),
        })
        .is_err());
    }

    #[tokio::test]
    async fn without_insecure_http_an_http_url_is_refused_before_connecting() {
        let client = http_client(&HttpOptions::default()).unwrap();
        let e = client.get("http://127.0.0.1:9/x").send().await.unwrap_err();
        assert!(e.is_builder(), "refused before any connection: {e:?}");
    }
}
