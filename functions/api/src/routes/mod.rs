pub mod accounts;
pub mod images;
pub mod operator;
pub mod profile;
pub mod uploads;
