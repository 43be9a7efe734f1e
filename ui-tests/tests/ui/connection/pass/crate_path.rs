use ha_cover_ui_tests::reexport::ha;

#[ha::ha_connection(crate = ha_cover_ui_tests::reexport::ha, tcp, mode = read_only)]
struct Feed;

#[allow(dead_code)]
fn usage() -> std::io::Result<()> {
    let _ = Feed::connect("127.0.0.1:1")?;
    Ok(())
}

fn main() {}
