//! Talking to Alibaba Cloud Voice Service (dyvms, API 2017-05-25): RPC signing, the HTTP
//! client, typed requests and responses, and error codes turned into advice.

pub mod credentials;
pub mod signature;
pub mod signer;

pub use credentials::Credentials;
