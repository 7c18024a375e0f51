// Test helpers that build PDFs with qpdf: see qpdf_support.h.
#include "support/qpdf_support.h"

#include <algorithm>
#include <cstdio>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/Pl_String.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <utility>
#include <vector>

namespace kesu::pdftest {

std::string OverlaySuccess(const std::string& pdf) {
  QPDF q;
  q.processMemoryFile("genuine.pdf", pdf.data(), pdf.size());
  QPDFObjectHandle page = q.getAllPages().at(0);
  const std::string content =
      "q 1 1 1 rg 40 560 515 150 re f BT /KesuOverlay 40 Tf 0 0.4 0.2 rg 60 620 Td (SUCCESS) Tj "
      "ET Q\n";
  // New objects get the next free numbers; their bytes are written by hand below.
  QPDFObjectHandle font = q.makeIndirectObject(
      QPDFObjectHandle::parse("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
  QPDFObjectHandle stream = QPDFObjectHandle::newStream(&q, content);
  const int font_id = font.getObjectID(), stream_id = stream.getObjectID();
  const int n = std::max(font_id, stream_id) + 1;  // the new /Size
  QPDFObjectHandle dict = page.shallowCopy();
  QPDFObjectHandle contents = QPDFObjectHandle::newArray();
  if (dict.getKey("/Contents").isArray()) {
    contents = dict.getKey("/Contents").shallowCopy();
  } else {
    contents.appendItem(dict.getKey("/Contents"));
  }
  contents.appendItem(stream);
  dict.replaceKey("/Contents", contents);
  QPDFObjectHandle res = dict.getKey("/Resources").shallowCopy();
  QPDFObjectHandle fonts = res.getKey("/Font").isDictionary() ? res.getKey("/Font").shallowCopy()
                                                              : QPDFObjectHandle::newDictionary();
  fonts.replaceKey("/KesuOverlay", font);
  res.replaceKey("/Font", fonts);
  dict.replaceKey("/Resources", res);

  std::string out = pdf;
  if (out.back() != '\n') out += "\n";
  std::vector<std::pair<int, size_t>> offsets;
  offsets.emplace_back(page.getObjectID(), out.size());
  out += std::to_string(page.getObjectID()) + " 0 obj\n" + dict.unparse() + "\nendobj\n";
  offsets.emplace_back(stream_id, out.size());
  out += std::to_string(stream_id) + " 0 obj\n<< /Length " + std::to_string(content.size()) +
         " >>\nstream\n" + content + "endstream\nendobj\n";
  offsets.emplace_back(font_id, out.size());
  out += std::to_string(font_id) +
         " 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n";
  const size_t prev = std::stoul(pdf.substr(pdf.rfind("startxref") + 9));
  const size_t xref = out.size();
  out += "xref\n0 1\n0000000000 65535 f \n";
  for (const auto& [id, off] : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%d 1\n%010zu 00000 n \n", id, off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(n) + " /Root " +
         q.getTrailer().getKey("/Root").unparse() + " /Prev " + std::to_string(prev) +
         " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string Deflate(const std::string& data) {
  std::string out;
  Pl_String sink("sink", nullptr, out);
  Pl_Flate flate("deflate", &sink, Pl_Flate::a_deflate);
  flate.write(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  flate.finish();
  return out;
}

}  // namespace kesu::pdftest
