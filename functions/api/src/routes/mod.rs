pub mod accounts;
pub mod albums;
pub mod grants;
pub mod groups;
pub mod images;
pub mod operator;
pub mod profile;
pub mod uploads;
