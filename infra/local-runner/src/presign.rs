//! Where print-dispatch's presigned URLs point.

/// `s3` with its endpoint set to `endpoint`, if one is given: the address
/// the labs reach S3 at, such as a TLS front before moto (the printlab
/// tests). print-dispatch only presigns with it; its reads and writes of
/// objects (the location-free copies) go to S3 itself.
pub fn presigning_at(s3: aws_sdk_s3::Client, endpoint: Option<&str>) -> aws_sdk_s3::Client {
    match endpoint {
        Some(e) => aws_sdk_s3::Client::from_conf(s3.config().to_builder().endpoint_url(e).build()),
        None => s3,
    }
}
