use ha_cover::ha_connection;

#[ha_connection(file, mode = append)]
struct Journal;

fn main() -> std::io::Result<()> {
    let mut journal = Journal::open("/mnt/fuse/journal")?;
    journal.write_all(b"entry\n")?;
    journal.write_at(b"x", 0)?;
    Ok(())
}
