//! Merging split modules into one wasm module.
//!
//! Every module the split step writes besides the main one has the same shape: it imports
//! the main module's memory, function table and shared global (each at most once, all from
//! `__wasm_split`), defines functions and nothing else (no memory, table, global, export or
//! start of its own), and puts its functions into the table and its bytes into memory with
//! active element and data segments at constant offsets. Nothing refers to another module's
//! functions except through the table. So several such modules are one module with their
//! types, functions, element and data segments one after the other: a function's and a
//! type's index moves by the count of those before it, the memory, table and global stay
//! index 0. Instantiating the merged module does what instantiating each of them did.
//!
//! Anything of another shape is refused (an error), never merged wrongly.

use std::collections::BTreeMap;
use wasm_encoder::reencode::{Error as ReencodeError, Reencode, RoundtripReencoder};
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, ElementSection, EntityType, FunctionSection, ImportSection,
    Module, TypeSection,
};
use wasmparser::{Parser, Payload, TypeRef};

/// Moves one input module's indices to where its items go in the merged module.
struct Shift {
    types: u32,
    functions: u32,
    elements: u32,
    data: u32,
}

impl Reencode for Shift {
    type Error = std::convert::Infallible;

    fn type_index(&mut self, ty: u32) -> Result<u32, ReencodeError<Self::Error>> {
        Ok(ty + self.types)
    }

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<Self::Error>> {
        Ok(func + self.functions)
    }

    fn element_index(&mut self, element: u32) -> Result<u32, ReencodeError<Self::Error>> {
        Ok(element + self.elements)
    }

    fn data_index(&mut self, data: u32) -> Result<u32, ReencodeError<Self::Error>> {
        Ok(data + self.data)
    }
}

/// The merged module's sections, filled one input module at a time.
#[derive(Default)]
struct Merged {
    /// What is imported, by kind: (module, name, type). At most one of each kind.
    imports: BTreeMap<&'static str, (String, String, EntityType)>,
    types: TypeSection,
    functions: FunctionSection,
    elements: ElementSection,
    code: CodeSection,
    data: DataSection,
    /// Whether any input had a data count section (bulk memory): then so does the result,
    /// counting every data segment.
    data_count: bool,
}

/// One module made of `modules` (see the module doc).
pub fn merge(modules: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let mut merged = Merged::default();
    for (index, bytes) in modules.iter().enumerate() {
        add(&mut merged, bytes).map_err(|e| format!("module {index} of the merge: {e}"))?;
    }
    let mut imports = ImportSection::new();
    // Memory, table, global: the order does not matter, each is index 0 of its kind.
    for (module, name, ty) in merged.imports.values() {
        imports.import(module, name, *ty);
    }
    let mut out = Module::new();
    out.section(&merged.types);
    out.section(&imports);
    out.section(&merged.functions);
    out.section(&merged.elements);
    if merged.data_count {
        out.section(&DataCountSection {
            count: merged.data.len(),
        });
    }
    out.section(&merged.code);
    out.section(&merged.data);
    let bytes = out.finish();
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .map_err(|e| format!("the merged module does not validate: {e}"))?;
    Ok(bytes)
}

fn add(merged: &mut Merged, bytes: &[u8]) -> Result<(), String> {
    let mut shift = Shift {
        types: merged.types.len(),
        functions: merged.functions.len(),
        elements: merged.elements.len(),
        data: merged.data.len(),
    };
    let err = |e: ReencodeError<std::convert::Infallible>| e.to_string();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.to_string())? {
            Payload::Version { .. } | Payload::End(_) | Payload::CodeSectionStart { .. } => {}
            // Names and tool notes: not needed to run, and wasm-opt drops them anyway.
            Payload::CustomSection(_) => {}
            Payload::TypeSection(section) => shift
                .parse_type_section(&mut merged.types, section)
                .map_err(err)?,
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(|e| e.to_string())?;
                    let kind = match import.ty {
                        TypeRef::Memory(_) => "memory",
                        TypeRef::Table(_) => "table",
                        TypeRef::Global(_) => "global",
                        _ => {
                            return Err(format!(
                                "imports {}.{}, not a memory, table or global",
                                import.module, import.name
                            ))
                        }
                    };
                    let ty = RoundtripReencoder
                        .entity_type(import.ty)
                        .map_err(|e| e.to_string())?;
                    let entry = (import.module.to_owned(), import.name.to_owned(), ty);
                    match merged.imports.get(kind) {
                        None => {
                            merged.imports.insert(kind, entry);
                        }
                        Some(seen) if *seen == entry => {}
                        Some(seen) => {
                            return Err(format!(
                                "imports its {kind} as {}.{} where another imports {}.{}",
                                entry.0, entry.1, seen.0, seen.1
                            ));
                        }
                    }
                }
            }
            Payload::FunctionSection(section) => shift
                .parse_function_section(&mut merged.functions, section)
                .map_err(err)?,
            Payload::ElementSection(section) => shift
                .parse_element_section(&mut merged.elements, section)
                .map_err(err)?,
            Payload::DataCountSection { .. } => merged.data_count = true,
            Payload::CodeSectionEntry(body) => {
                shift.parse_function_body(&mut merged.code, body).map_err(err)?
            }
            // The split step writes an export section, empty: nothing is looked up by name.
            Payload::ExportSection(section) if section.count() == 0 => {}
            Payload::DataSection(section) => {
                shift.parse_data_section(&mut merged.data, section).map_err(err)?
            }
            other => {
                return Err(format!(
                    "has a section a split module should not have ({:?})",
                    other.as_section().map(|(id, _)| id)
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::merge;
    use wasm_encoder::{
        CodeSection, ConstExpr, DataSection, ElementSection, Elements, EntityType, Function, FunctionSection,
        GlobalType, ImportSection, Instruction, MemorySection, MemoryType, Module, RefType, TableType,
        TypeSection, ValType,
    };
    use wasmparser::{Operator, Parser, Payload};

    /// A module of the split step's shape: `functions` functions `() -> i32`, the last
    /// calling the first, all put into the table at `slot`, and `bytes` at `address`.
    fn split_module(functions: u32, slot: i32, address: i32, bytes: &[u8]) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I32]);
        let mut imports = ImportSection::new();
        imports.import(
            "__wasm_split",
            "memory",
            EntityType::Memory(MemoryType {
                minimum: 1,
                maximum: None,
                memory64: false,
                shared: false,
                page_size_log2: None,
            }),
        );
        imports.import(
            "__wasm_split",
            "__indirect_function_table",
            EntityType::Table(TableType {
                element_type: RefType::FUNCREF,
                minimum: 64,
                maximum: None,
                table64: false,
                shared: false,
            }),
        );
        imports.import(
            "__wasm_split",
            "__wasm_split_shared0",
            EntityType::Global(GlobalType {
                val_type: ValType::I32,
                mutable: true,
                shared: false,
            }),
        );
        let mut funcs = FunctionSection::new();
        let mut code = CodeSection::new();
        for index in 0..functions {
            funcs.function(0);
            let mut body = Function::new([]);
            if index + 1 == functions && functions > 1 {
                body.instruction(&Instruction::Call(0));
            } else {
                body.instruction(&Instruction::I32Const(index as i32));
            }
            body.instruction(&Instruction::End);
            code.function(&body);
        }
        let mut elements = ElementSection::new();
        let all: Vec<u32> = (0..functions).collect();
        elements.active(
            Some(0),
            &ConstExpr::i32_const(slot),
            Elements::Functions(all.into()),
        );
        let mut data = DataSection::new();
        data.active(0, &ConstExpr::i32_const(address), bytes.iter().copied());
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&funcs)
            .section(&elements)
            .section(&code)
            .section(&data);
        module.finish()
    }

    /// What a merged module does: its table slots (slot → function index), its data
    /// (address → bytes) and the functions each function calls.
    #[derive(Default)]
    struct Read {
        slots: Vec<(i64, u32)>,
        data: Vec<(i64, Vec<u8>)>,
        calls: Vec<Vec<u32>>,
    }

    fn read(bytes: &[u8]) -> Read {
        let offset = |expr: &wasmparser::ConstExpr| match expr.get_operators_reader().read().unwrap() {
            Operator::I32Const { value } => i64::from(value),
            other => panic!("offset {other:?}"),
        };
        let mut read = Read::default();
        for payload in Parser::new(0).parse_all(bytes) {
            match payload.unwrap() {
                Payload::ElementSection(section) => {
                    for element in section {
                        let element = element.unwrap();
                        let wasmparser::ElementKind::Active { offset_expr, .. } = element.kind else {
                            panic!()
                        };
                        let wasmparser::ElementItems::Functions(items) = element.items else {
                            panic!()
                        };
                        let start = offset(&offset_expr);
                        for (i, f) in items.into_iter().enumerate() {
                            read.slots.push((start + i as i64, f.unwrap()));
                        }
                    }
                }
                Payload::DataSection(section) => {
                    for datum in section {
                        let datum = datum.unwrap();
                        let wasmparser::DataKind::Active { offset_expr, .. } = datum.kind else {
                            panic!()
                        };
                        read.data.push((offset(&offset_expr), datum.data.to_vec()));
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let mut called = Vec::new();
                    for op in body.get_operators_reader().unwrap() {
                        if let Operator::Call { function_index } = op.unwrap() {
                            called.push(function_index);
                        }
                    }
                    read.calls.push(called);
                }
                _ => {}
            }
        }
        read
    }

    #[test]
    fn modules_end_to_end_with_their_indices_moved() {
        let merged = merge(&[split_module(2, 10, 100, b"a"), split_module(3, 20, 200, b"bc")]).unwrap();
        let Read { slots, data, calls } = read(&merged);
        // The second module's functions come after the first's, in the same table slots.
        assert_eq!(slots, vec![(10, 0), (11, 1), (20, 2), (21, 3), (22, 4)]);
        assert_eq!(data, vec![(100, b"a".to_vec()), (200, b"bc".to_vec())]);
        // Each last function still calls its own module's first one.
        assert_eq!(calls, vec![vec![], vec![0], vec![], vec![], vec![2]]);
        // One memory, one table, one global, as before.
        let imports: Vec<String> = Parser::new(0)
            .parse_all(&merged)
            .filter_map(|p| match p.unwrap() {
                Payload::ImportSection(s) => Some(
                    s.into_imports()
                        .map(|i| i.unwrap().name.to_owned())
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(imports.len(), 3);
    }

    #[test]
    fn a_module_of_another_shape_is_refused() {
        let mut own_memory = Module::new();
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        own_memory.section(&memories);
        let err = merge(&[split_module(1, 0, 0, b"x"), own_memory.finish()]).unwrap_err();
        assert!(err.contains("module 1"), "{err}");
        assert!(err.contains("should not have"), "{err}");
    }
}
