use ha_cover::ha_connection;

#[ha_connection(unix, mode = write_only, write_policy = always)]
struct Shipper;

fn main() -> std::io::Result<()> {
    let mut shipper = Shipper::connect("/run/log.sock")?;
    let mut reply = String::new();
    shipper.read_to_string(&mut reply)?;
    Ok(())
}
