// The drive's health around one erasure: see drive_health.h.
#include "erase/drive_health.h"

namespace kesu {

void ReadHealthInto(FirmwareDriver* driver, const char* when, std::optional<DriveHealth>* reading,
                    std::vector<std::string>* notes) {
  auto h = driver->Health();
  if (h.ok()) {
    *reading = *h;
    return;
  }
  reading->reset();
  notes->push_back(std::string("not reported ") + when + " the erasure: " + h.status().message());
}

HealthWatch::HealthWatch(Env* env, BlockFile* file, const DeviceInfo& dev) {
  auto d = OpenFirmwareDriver(env, dev, file);
  if (!d.ok()) {
    record_.notes.push_back("not reported: " + d.status().message());
    return;
  }
  driver_ = std::move(*d);
  record_.protocol = driver_->protocol();
  ReadHealthInto(driver_.get(), "before", &record_.before, &record_.notes);
}

void HealthWatch::After() {
  if (driver_) ReadHealthInto(driver_.get(), "after", &record_.after, &record_.notes);
}

}  // namespace kesu
