//! `ha-fuse-server SOURCE MOUNTPOINT [--threads N]`: see
//! `ha_cover_world::fuse_main`.

fn main() -> std::process::ExitCode {
    ha_cover_world::fuse_main::main(std::env::args_os().skip(1).collect())
}
