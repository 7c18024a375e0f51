// Records of physical work kesu cannot do itself (degaussing, crushing, shredding drives,
// shredding documents), the custody events of a device or batch, and the receipt a `received`
// event issues: the content of the signed documents of kinds record, custody-event and receipt
// (certs/document.h; body schemas in certificates/document-v1.json, docs/records.md).
//
// Everything here is a pure function of its arguments (no file, no clock), so the rules are unit
// tested: which evidence a method requires and whether it was given, the NIST SP 800-88 category
// a record reaches (never Purge for degaussing flash: it is refused), the batch CSV, and what a
// custody chain is missing. Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "certs/document.h"
#include "methods/method.h"

namespace kesu {

// One device (or other item) a record or receipt lists.
struct RecordItem {
  std::string path;                     // device path when read from a connected drive, else ""
  std::string model, serial, capacity;  // capacity as given ("500GB") or bytes from the drive
  std::string media;                    // a kMediaTypeNames name, "" when not known
  std::string transport;                // from the drive, "" when typed
  std::string condition;      // receipts: condition notes ("scratched case"), "" when none
  bool measured = false;      // identity read from the drive (true) or typed by a person
  bool serial_typed = false;  // measured, but the serial typed from the label (none reported)
  size_t line = 0;            // batch CSV line (1-based), 0 when not from a batch
};

// A photo of the work: its file name (base name only) and SHA-256 of its bytes.
struct PhotoEvidence {
  std::string name;
  std::string sha256;
  uint64_t size = 0;
};

// What the operator states for `kesu record`.
struct RecordInput {
  std::vector<RecordItem> items;  // drives; for document-shred: none
  std::string equipment;          // degausser/shredder make, model, serial, strength/particle size
  std::string operator_name, witness, place;
  std::string description, batch_id, weight, boxes;  // documents
  std::vector<PhotoEvidence> photos;
  int64_t performed_ms = 0;                 // when the work was done (the Env clock unless given)
  std::vector<std::string> agreed_methods;  // the work order's method(s); empty without one
};

// The evidence names a method file's [record] evidence list may use, and the option that
// supplies each (docs/records.md "Evidence").
struct EvidenceName {
  const char* name;
  const char* option;
};
inline constexpr EvidenceName kEvidenceNames[] = {
    {"operator", "--operator"},
    {"witness", "--witness"},
    {"place", "--place"},
    {"equipment", "--equipment"},
    {"degausser_model", "--equipment"},
    {"shredder_model", "--equipment"},
    {"photo_sha256", "--photo FILE"},
    {"device_serial", "--serial (or --device, or a serial column in --batch)"},
    {"batch_id", "--batch-id"},
    {"description", "--description"},
    {"quantity", "--weight KG or --boxes N"},
    {"sheet_count", "--weight KG or --boxes N"},
};

// OK when every evidence item `m` requires is present in `in`. kInvalidArgument naming the first
// missing item and the option that supplies it, or an evidence name kesu does not know (a
// method file error, naming the file).
Status CheckRecordEvidence(const Method& m, const RecordInput& in);

// The NIST SP 800-88 category a record of method `m` reaches on `item`, and why.
struct RecordCategory {
  NistCategory category = NistCategory::kNone;
  std::string reason;
};
// Degaussing (record kind "degauss") flash media (ssd, nvme, usb-flash, memory-card) is
// kRefused: a degausser does not erase flash (NIST SP 800-88 Rev. 1 §2.5), and kesu will not
// certify it. Degaussing a typed device with no media type is kInvalidArgument (give --media).
// Otherwise the method's [nist] table for the item's media (unknown media: the strongest
// category the method reaches on any physical medium, for crushing and shredding).
Result<RecordCategory> CategoryForRecord(const Method& m, const RecordItem& item);

// The document content of a record (kind kRecord) of `m` over `in`; `custody` is the chain
// per serial (CustodyChain; may be an empty array). Checks evidence and categories first (errors
// as above); kRefused when in.agreed_methods is not empty and lacks m.id (clause 3-10 ②).
Result<DocumentContent> BuildRecordContent(const Method& m, const RecordInput& in,
                                           const nlohmann::json& custody);

// --- Batch CSV --------------------------------------------------------------------------------

// Parses a batch file (RFC 4180 CSV, UTF-8, first line a header). Columns, in any order, by
// header name: serial (required), model, capacity, media, condition. Blank lines are skipped.
// kInvalidArgument naming `file` and the line: an unknown or missing header, a row with another
// number of fields, an empty serial, an unknown media name, an unterminated quote, a serial
// listed twice.
Result<std::vector<RecordItem>> ParseBatchCsv(std::string_view text, const std::string& file);

// --- Custody ----------------------------------------------------------------------------------

enum class CustodyEvent : uint8_t { kReceived, kStored, kMoved, kErased, kReturned, kDestroyed };
inline constexpr EnumName<CustodyEvent> kCustodyEventNames[] = {
    {CustodyEvent::kReceived, "received"}, {CustodyEvent::kStored, "stored"},
    {CustodyEvent::kMoved, "moved"},       {CustodyEvent::kErased, "erased"},
    {CustodyEvent::kReturned, "returned"}, {CustodyEvent::kDestroyed, "destroyed"}};
static_assert(CoversEachOnce(kCustodyEventNames, CustodyEvent::kDestroyed));

struct CustodyInput {
  std::string subject;  // a serial, a device path or a batch id, as the operator gives it
  RecordItem device;    // identity when SUBJECT is a connected drive (measured), else serial only
  CustodyEvent event = CustodyEvent::kReceived;
  std::string by, place, seal, note;
  int64_t at_ms = 0;
  std::vector<RecordItem> items;  // received: what was taken in (the receipt lists them)
};

// The content of one custody event (kind kCustodyEvent). `chain` is the chain so far for the
// subject (CustodyChain); the gaps this event makes (an event after `returned` or `destroyed`,
// a first event that is not `received`) are in the outcome's errors, never hidden.
DocumentContent BuildCustodyContent(const CustodyInput& in, const nlohmann::json& chain);

// The receipt (預り証, clause 3-7) a `received` event issues: the items, their serials,
// condition notes and the seal number, and the custody event's id.
DocumentContent BuildReceiptContent(const CustodyInput& in, const std::string& event_id);

// One custody event as a chain lists it.
struct ChainEvent {
  std::string id, event, by, place, seal, note, time_utc, file;
  int64_t at_ms = 0;
  uint64_t seq = 0;
};
// The chain of `subject` from its events (in ledger order): {"subject", "events": [...],
// "gaps": [...]}. Gaps: a first event that is not `received`, an event after `returned` or
// `destroyed`. With `for_work` (an erasure or record about to be issued) an empty chain (a
// device never received) and a closed chain (last event `returned` or `destroyed`) are gaps too.
nlohmann::json CustodyChain(const std::string& subject, const std::vector<ChainEvent>& events,
                            bool for_work);
// The gap lines of a chain (CustodyChain's "gaps"), for the console and the page.
std::vector<std::string> CustodyGaps(const nlohmann::json& chain);

}  // namespace kesu
