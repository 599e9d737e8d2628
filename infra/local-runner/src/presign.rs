//! Where print-dispatch's presigned URLs point.

use printvault_adapters::aws::Clients;

/// `clients` with their S3 endpoint set to `endpoint`, if one is given: the
/// address the labs reach S3 at, such as a TLS front before moto (the
/// printlab tests). Only for print-dispatch, whose S3 client presigns and
/// never connects.
pub fn presigning_at(mut clients: Clients, endpoint: Option<&str>) -> Clients {
    if let Some(e) = endpoint {
        clients.s3 = aws_sdk_s3::Client::from_conf(clients.s3.config().to_builder().endpoint_url(e).build());
    }
    clients
}
