//! Embeds the built-in checklists (every `checklists/*.toml`, in file-name order, so adding
//! a checklist file needs no code change) into the binary twice: as text, for the lint and
//! for people, and already parsed, so the review does not parse 180 KB of TOML before its
//! first frame.
//!
//! The parsed form is Rust code that builds the values of the checklist schema
//! (`src/store/schema/checklist.rs`, included here: the format is defined once). At run time
//! the built-in set then goes through the same checks and conversion as any checklist
//! file. A file that does not match the schema fails the build, with its line and column.

#[path = "src/store/schema/checklist.rs"]
#[allow(dead_code)]
mod schema;

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=src/store/schema/checklist.rs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("checklists/ is part of the package")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let mut texts = String::from("&[\n");
    let mut parsed = String::from("vec![\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(texts, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
        let text = std::fs::read_to_string(&path).expect("a checklist file is readable");
        let file: schema::ChecklistFile = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => panic!("checklists/{name}: {e}"),
        };
        let mut code = String::new();
        serde::Serialize::serialize(&file, literal::Writer(&mut code)).expect("the schema writes as Rust");
        writeln!(parsed, "    {code},").unwrap();
    }
    texts.push(']');
    parsed.push(']');
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("builtin_checklists.rs"), texts).unwrap();
    std::fs::write(Path::new(&out_dir).join("builtin_parsed.rs"), parsed).unwrap();
}

/// A serde serializer that writes a value of the schema as a Rust expression building it:
/// structs as struct literals, sequences as `vec![...]`, options as `Some(..)`/`None`, and
/// every string, integer and flag as `Lit::lit(..)` (see `schema::Lit`).
mod literal {
    use serde::ser::{self, Impossible, Serialize};
    use std::fmt::{self, Write as _};

    pub struct Writer<'a>(pub &'a mut String);

    #[derive(Debug)]
    pub struct Error(String);

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }
    impl std::error::Error for Error {}
    impl ser::Error for Error {
        fn custom<T: fmt::Display>(msg: T) -> Self {
            Error(msg.to_string())
        }
    }

    fn unsupported<T>(what: &str) -> Result<T, Error> {
        Err(Error(format!("the checklist schema has no {what}: build.rs writes only what it uses")))
    }

    pub struct Seq<'a>(&'a mut String);
    pub struct Struct<'a>(&'a mut String);

    impl<'a> ser::Serializer for Writer<'a> {
        type Ok = ();
        type Error = Error;
        type SerializeSeq = Seq<'a>;
        type SerializeTuple = Impossible<(), Error>;
        type SerializeTupleStruct = Impossible<(), Error>;
        type SerializeTupleVariant = Impossible<(), Error>;
        type SerializeMap = Impossible<(), Error>;
        type SerializeStruct = Struct<'a>;
        type SerializeStructVariant = Impossible<(), Error>;

        fn serialize_bool(self, v: bool) -> Result<(), Error> {
            write!(self.0, "Lit::lit({v})").map_err(ser::Error::custom)
        }
        fn serialize_i64(self, v: i64) -> Result<(), Error> {
            write!(self.0, "Lit::lit({v}i64)").map_err(ser::Error::custom)
        }
        fn serialize_str(self, v: &str) -> Result<(), Error> {
            write!(self.0, "Lit::lit({v:?})").map_err(ser::Error::custom)
        }
        fn serialize_none(self) -> Result<(), Error> {
            self.0.push_str("None");
            Ok(())
        }
        fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
            self.0.push_str("Some(");
            value.serialize(Writer(&mut *self.0))?;
            self.0.push(')');
            Ok(())
        }
        fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a>, Error> {
            self.0.push_str("vec![");
            Ok(Seq(self.0))
        }
        fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Struct<'a>, Error> {
            write!(self.0, "{name} {{").map_err(ser::Error::custom)?;
            Ok(Struct(self.0))
        }

        fn serialize_i8(self, v: i8) -> Result<(), Error> {
            self.serialize_i64(v.into())
        }
        fn serialize_i16(self, v: i16) -> Result<(), Error> {
            self.serialize_i64(v.into())
        }
        fn serialize_i32(self, v: i32) -> Result<(), Error> {
            self.serialize_i64(v.into())
        }
        fn serialize_u8(self, _: u8) -> Result<(), Error> {
            unsupported("unsigned integer")
        }
        fn serialize_u16(self, _: u16) -> Result<(), Error> {
            unsupported("unsigned integer")
        }
        fn serialize_u32(self, _: u32) -> Result<(), Error> {
            unsupported("unsigned integer")
        }
        fn serialize_u64(self, _: u64) -> Result<(), Error> {
            unsupported("unsigned integer")
        }
        fn serialize_f32(self, _: f32) -> Result<(), Error> {
            unsupported("float")
        }
        fn serialize_f64(self, _: f64) -> Result<(), Error> {
            unsupported("float")
        }
        fn serialize_char(self, _: char) -> Result<(), Error> {
            unsupported("char")
        }
        fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
            unsupported("bytes")
        }
        fn serialize_unit(self) -> Result<(), Error> {
            unsupported("unit")
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
            unsupported("unit struct")
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
            unsupported("enum")
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> Result<(), Error> {
            unsupported("newtype struct")
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Error> {
            unsupported("enum")
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
            unsupported("tuple")
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
            unsupported("tuple struct")
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Error> {
            unsupported("enum")
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
            unsupported("map")
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Error> {
            unsupported("enum")
        }
    }

    impl ser::SerializeSeq for Seq<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
            value.serialize(Writer(&mut *self.0))?;
            self.0.push_str(", ");
            Ok(())
        }
        fn end(self) -> Result<(), Error> {
            self.0.push(']');
            Ok(())
        }
    }

    impl ser::SerializeStruct for Struct<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
            write!(self.0, " {key}: ").map_err(ser::Error::custom)?;
            value.serialize(Writer(&mut *self.0))?;
            self.0.push(',');
            Ok(())
        }
        fn end(self) -> Result<(), Error> {
            self.0.push_str(" }");
            Ok(())
        }
    }
}
