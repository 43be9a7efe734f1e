//! expect: one error at `try_clone`: a second cover is made with dup()
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct Data;

fn main() -> std::io::Result<()> {
    let data = Data::open("/srv/data.bin")?;
    let reader = data.try_clone()?;
    std::thread::spawn(move || drop(reader));
    Ok(())
}
