//! A bare attribute is one error showing the whole form, not one per missing
//! key.

use ha_cover::ha_connection;

#[ha_connection]
struct Orders;

#[ha_connection()]
struct Audit;

fn main() {}
