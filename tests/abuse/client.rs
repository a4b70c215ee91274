//! A blocking HTTP/1.1 client on raw sockets, for what ordinary clients will not do: hang up
//! in the middle of a request, stream a body of any size, send absurd headers.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// An answer, with the time it took from the first byte sent.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status (0: no answer, the connection failed or closed).
    pub status: u16,
    /// The headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body (lossy UTF-8).
    pub body: String,
    /// From the first byte sent to the end of the answer.
    pub took: Duration,
}

impl Reply {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The path of `/sparql` with `query` in its query string.
pub fn sparql_path(query: &str) -> String {
    format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    )
}

fn parse_reply(raw: &[u8], took: Duration) -> Reply {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
        took,
    }
}

/// Sends `head` (the request line and headers, without the blank line) and `body`, and
/// reads the whole answer (the request says `Connection: close`).
pub fn send(address: SocketAddr, head: &str, body: &[u8]) -> Reply {
    let started = Instant::now();
    let Ok(mut stream) = TcpStream::connect(address) else {
        return parse_reply(b"", started.elapsed());
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
    let request = format!("{head}\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() || stream.write_all(body).is_err() {
        return parse_reply(b"", started.elapsed());
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_reply(&raw, started.elapsed())
}

/// `GET path` with extra headers (`Name: value` lines).
pub fn get(address: SocketAddr, path: &str, headers: &[String]) -> Reply {
    let mut head = format!("GET {path} HTTP/1.1");
    for header in headers {
        head.push_str("\r\n");
        head.push_str(header);
    }
    send(address, &head, b"")
}

/// A SPARQL query by GET, asking for JSON results, as the client named by `token` (none:
/// by address).
pub fn sparql(address: SocketAddr, query: &str, token: Option<&str>) -> Reply {
    let mut headers = vec!["Accept: application/sparql-results+json, text/turtle;q=0.9".to_owned()];
    if let Some(token) = token {
        headers.push(format!("Authorization: Bearer {token}"));
    }
    get(address, &sparql_path(query), &headers)
}

/// A SPARQL query POSTed directly (`application/sparql-query`), for texts too long for a URL.
pub fn sparql_post(address: SocketAddr, query: &str, token: Option<&str>) -> Reply {
    let mut head = format!(
        "POST /sparql HTTP/1.1\r\nAccept: application/sparql-results+json, text/turtle;q=0.9\r\nContent-Type: application/sparql-query\r\nContent-Length: {}",
        query.len()
    );
    if let Some(token) = token {
        head.push_str(&format!("\r\nAuthorization: Bearer {token}"));
    }
    send(address, &head, query.as_bytes())
}

/// A SPARQL query by GET, or by POST when its URL would be long.
pub fn sparql_any(address: SocketAddr, query: &str, token: Option<&str>) -> Reply {
    if query.len() > 4_000 {
        sparql_post(address, query, token)
    } else {
        sparql(address, query, token)
    }
}

/// Sends a SPARQL query, then closes the connection after `after` without reading.
pub fn sparql_and_hang_up(address: SocketAddr, query: &str, after: Duration) {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return;
    };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: localhost\r\nAccept: application/sparql-results+json\r\n\r\n",
        sparql_path(query)
    );
    let _ = stream.write_all(request.as_bytes());
    std::thread::sleep(after);
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// POSTs `total` bytes to `path`, streamed in chunks (never held whole), with or without a
/// declared `Content-Length`, while reading the answer; returns it as soon as it comes.
pub fn post_streamed(
    address: SocketAddr,
    path: &str,
    content_type: &str,
    total: u64,
    declared: bool,
) -> Reply {
    let started = Instant::now();
    let Ok(mut stream) = TcpStream::connect(address) else {
        return parse_reply(b"", started.elapsed());
    };
    let framing = if declared {
        format!("Content-Length: {total}")
    } else {
        "Transfer-Encoding: chunked".to_owned()
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n{framing}\r\nConnection: close\r\n\r\n"
    );
    let Ok(mut reader) = stream.try_clone() else {
        return parse_reply(b"", started.elapsed());
    };
    let _ = reader.set_read_timeout(Some(Duration::from_secs(60)));
    let answer = std::thread::spawn(move || {
        // The time of the answer is that of its first bytes: the connection may then be
        // reset (the server does not read the rest of the body).
        let mut raw = Vec::new();
        let mut first = None;
        let mut buffer = [0_u8; 8192];
        while let Ok(read) = reader.read(&mut buffer) {
            if read == 0 {
                break;
            }
            first.get_or_insert_with(|| started.elapsed());
            raw.extend_from_slice(&buffer[..read]);
        }
        (raw, first.unwrap_or_else(|| started.elapsed()))
    });
    if stream.write_all(head.as_bytes()).is_ok() {
        let chunk = vec![b'x'; 64 << 10];
        let mut sent = 0_u64;
        while sent < total {
            let size = chunk.len().min((total - sent) as usize);
            let written = if declared {
                stream.write_all(&chunk[..size])
            } else {
                stream
                    .write_all(format!("{size:x}\r\n").as_bytes())
                    .and_then(|()| stream.write_all(&chunk[..size]))
                    .and_then(|()| stream.write_all(b"\r\n"))
            };
            // The server answers and closes early: the rest is not sent.
            if written.is_err() {
                break;
            }
            sent += size as u64;
        }
        if !declared {
            let _ = stream.write_all(b"0\r\n\r\n");
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let (raw, took) = answer.join().unwrap_or_default();
    parse_reply(&raw, took)
}
