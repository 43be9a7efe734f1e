//! expect: one error at `metadata`: say how to reach the file (get_ref)
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct Data;

fn main() -> std::io::Result<()> {
    let data = Data::open("/srv/data.bin")?;
    let len = data.metadata()?.len();
    println!("{len} bytes");
    Ok(())
}
