//! System failures (files, folders, disks) in words a marketer reads in either language. The
//! operating system's own text is English ("Permission denied (os error 13)"), so the Chinese
//! message names the kind of failure instead and the English one keeps the system's words.

use std::io::ErrorKind;

use crate::text::Localized;

/// Why a file or folder could not be used.
pub fn io_reason(err: &std::io::Error) -> Localized {
    let zh = match err.kind() {
        ErrorKind::NotFound => "找不到这个文件或文件夹",
        ErrorKind::PermissionDenied => "没有权限（文件可能被其他程序占用或是只读的）",
        ErrorKind::AlreadyExists => "已经有同名的文件",
        ErrorKind::StorageFull => "磁盘空间不足",
        ErrorKind::ReadOnlyFilesystem => "磁盘是只读的",
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件",
        ErrorKind::NotADirectory => "路径中有一部分不是文件夹",
        ErrorKind::InvalidData | ErrorKind::UnexpectedEof => "文件内容不完整或已损坏",
        ErrorKind::AddrInUse => "端口已被其他程序占用",
        ErrorKind::AddrNotAvailable => "这个地址在本机上不可用",
        ErrorKind::TimedOut => "操作超时",
        ErrorKind::Interrupted => "操作被中断",
        _ => "系统错误",
    };
    let zh = match err.raw_os_error() {
        Some(code) if zh == "系统错误" => format!("{zh}（代码 {code}）"),
        _ => zh.to_owned(),
    };
    Localized::new(zh, err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chinese_reason_has_no_english_system_text() {
        let cases = [
            std::io::Error::from(ErrorKind::NotFound),
            std::io::Error::from(ErrorKind::PermissionDenied),
            std::io::Error::from_raw_os_error(28),
            std::io::Error::other("something odd"),
        ];
        for err in cases {
            let reason = io_reason(&err);
            assert!(
                !reason.zh_cn.chars().any(|c| c.is_ascii_alphabetic()),
                "{}",
                reason.zh_cn
            );
            assert_eq!(reason.en, err.to_string());
        }
    }
}
