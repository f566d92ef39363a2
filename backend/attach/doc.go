// Package attach keeps attachment files (original invoice PDFs, XML, scans)
// sealed on disk and content-addressed.
//
// # Names
//
// A file's name is hex(HMAC-SHA256(K, "name" || SHA-256(plaintext))), 64
// lowercase hex characters. Equal content gets one name, so a second Put of
// the same document is stored once; but without K the name says nothing about
// the content (a plain SHA-256 name would let anyone holding a copy of a
// document confirm that it is in the store). Open, Has and Delete accept only
// names of exactly that shape, so no name can reach outside the folder
// (security checklist #27). Open also checks, on the last chunk, that the
// content hashes to the name it was asked for, so a valid file copied or
// renamed over another name fails.
//
// # Keys
//
// K is the 32-byte attachment subkey handed to Open. Names use K directly as
// above; the sealing key is HKDF-Expand-SHA256(K, "smartap/attach/v1 seal",
// 32). The two HMAC inputs start with different bytes ("name" vs
// "smartap/..."), so the uses are separated.
//
// # File format, version 1
//
//	header  = "SAPA" | 0x01 | prefix        4 + 1 + 16 = 21 bytes
//	chunk i = XChaCha20-Poly1305(sealing key,
//	            nonce = prefix || uint64_be(i),
//	            ad    = header || final,      final = 0x01 on the last chunk, else 0x00
//	            plaintext bytes [i*65536, (i+1)*65536))
//	file    = header | chunk 0 | chunk 1 | ... | chunk n-1
//
// The prefix is 16 random bytes per file, so with the 8-byte counter no
// (key, nonce) pair repeats across files or within one (checklist #4). Every
// chunk but the last holds exactly 64 KiB of plaintext (65552 bytes sealed);
// the last holds 1 to 65536 bytes, or 0 bytes when the whole plaintext is
// empty (an empty file is a header and one 16-byte tag). A reader learns
// which chunk is last only from the end of the file, and the final flag in
// the associated data must agree: a file cut at a chunk boundary ends on a
// chunk sealed as not final, and bytes appended after the last chunk make it
// read as not final, so both fail. The counter in the nonce catches
// reordered chunks; the random prefix and the header in the associated data
// catch chunks spliced in from another file (checklist #3). Every chunk is
// authenticated before any of its bytes are released.
//
// What a streaming reader cannot avoid: chunks before a damaged one have
// already been handed out when the error comes. Callers must treat content
// as valid only after reading to io.EOF without error.
//
// # Writing
//
// Put seals into a temp file (".put-*.tmp") in the same folder while it
// reads, hashing the plaintext on the way; the name is known only at the end.
// Then: fsync, rename to the name, fsync the folder (checklist #36). A fault
// before the rename leaves only the temp file, which no name can address and
// which Put removes on error; temp files left by a crash are removed by the
// next Open once they are an hour old. The size limit is enforced while
// reading: Put never reads more than limit+1 bytes and holds at most one
// chunk in memory (checklist #26). Files are 0600, the folder 0700.
package attach
