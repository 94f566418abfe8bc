//! The loopback web server the guest reaches as 10.0.2.100:80. It answers
//! from `tests/conformance/net.toml` through the simulator's own mock
//! network, so recorder and simulator serve identical bytes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use ipxe_sim::{MockNet, NetFile, Network, Response};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Logged {
    pub method: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

pub fn load_net(dir: &Path) -> Result<MockNet> {
    let path = dir.join("net.toml");
    let file = NetFile::load(&path)?;
    Ok(MockNet::new(file.rules(&path, dir)?))
}

pub struct Server {
    pub port: u16,
    pub log: Arc<Mutex<Vec<Logged>>>,
}

impl Server {
    pub fn start(net: MockNet) -> Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0").context("binding the web server")?;
        let port = listener.local_addr()?.port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let log2 = log.clone();
        std::thread::spawn(move || {
            let mut net = net;
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &mut net, &log2);
            }
        });
        Ok(Server { port, log })
    }
}

fn serve(stream: TcpStream, net: &mut MockNet, log: &Mutex<Vec<Logged>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut host = String::from("10.0.2.100");
        let mut length = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "host" => host = v.trim().to_string(),
                    "content-length" => length = v.trim().parse().unwrap_or(0),
                    _ => {}
                }
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body)?;
        let url = format!("http://{host}{path}");
        let body_text = (method == "POST").then(|| String::from_utf8_lossy(&body).into_owned());
        log.lock()
            .map_err(|_| std::io::Error::other("log poisoned"))?
            .push(Logged {
                method: method.clone(),
                url: url.clone(),
                body: body_text,
            });
        let (status, data) = match net.request(&method, &url, Some(&body)) {
            Response::Ok(d) => (200, d),
            Response::Status(s) => (s, Vec::new()),
            // A MockNet never assumes; a real recording serves only known files.
            Response::Unreachable | Response::Assumed(_) => (503, Vec::new()),
        };
        let mut w = stream.try_clone()?;
        write!(
            w,
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\n\r\n",
            data.len()
        )?;
        w.write_all(&data)?;
        w.flush()?;
    }
}
