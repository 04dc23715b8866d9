//! `wechat-pay-sim [BIND [DIR]]`: the local WeChat Pay simulator on BIND
//! (default `127.0.0.1:8090`), writing its keys and settings into DIR
//! (default `data/wechat-sim`), where the shop (`PAYMENT_PROVIDER=simulator`)
//! reads them. `SIM_ADDR_FILE` names a file to write its address to.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let bind = args.next().unwrap_or_else(|| "127.0.0.1:8090".into());
    let dir = args.next().unwrap_or_else(|| "data/wechat-sim".into());
    let sim = wechat_pay_sim::start(&bind, std::path::Path::new(&dir)).await?;
    println!("WeChat Pay simulator at {} (keys in {})", sim.base_url, sim.dir.display());
    if let Ok(file) = std::env::var("SIM_ADDR_FILE") {
        std::fs::write(format!("{file}.partial"), format!("{}\n", sim.addr))?;
        std::fs::rename(format!("{file}.partial"), file)?;
    }
    std::future::pending::<()>().await;
    Ok(())
}
