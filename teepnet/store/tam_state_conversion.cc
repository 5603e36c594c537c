#include "teepnet/store/tam_state_conversion.h"

#include <memory>
#include <string>

#include "teepnet/store/errc.h"
#include "teepnet/store/tam_state_cbor.h"
#include "teepnet/store/tam_state_json.h"

namespace teepnet::store {

namespace {

// Copies `from` (device_id, JSON text) into `to` (device_id, CBOR blob) through the two
// codecs, then drops `from`. `Reencode` maps the JSON text to the CBOR bytes.
template <typename Reencode>
Status MoveRows(SqlConnection& c, std::string_view select, std::string_view insert,
                std::string_view drop, Reencode reencode) {
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SqlStatement> rows, c.Prepare(select));
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<SqlStatement> put, c.Prepare(insert));
  for (;;) {
    TEEPNET_ASSIGN_OR_RETURN(bool row, rows->Step());
    if (!row) break;
    const Bytes device_id = rows->ColumnBlob(0);
    TEEPNET_ASSIGN_OR_RETURN(Bytes column, reencode(rows->ColumnText(1)));
    TEEPNET_RETURN_IF_ERROR(put->BindBlob(1, device_id));
    TEEPNET_RETURN_IF_ERROR(put->BindBlob(2, column));
    TEEPNET_RETURN_IF_ERROR(put->Run());
    put->Reset();
  }
  rows.reset();
  put.reset();
  return c.Exec(drop);
}

}  // namespace

Status ConvertTamStateJsonToCbor(SqlConnection& c) {
  TEEPNET_RETURN_IF_ERROR(
      MoveRows(c, "SELECT device_id, status FROM device_status_json",
               "INSERT INTO device_status (device_id, status) VALUES (?1, ?2)",
               "DROP TABLE device_status_json", [](const std::string& json) -> Result<Bytes> {
                 TEEPNET_ASSIGN_OR_RETURN(tam::DeviceStatus status, DecodeDeviceStatus(json));
                 return EncodeDeviceStatusCbor(status);
               }));
  return MoveRows(c, "SELECT device_id, state FROM desired_state_json",
                  "INSERT INTO desired_state (device_id, state) VALUES (?1, ?2)",
                  "DROP TABLE desired_state_json", [](const std::string& json) -> Result<Bytes> {
                    TEEPNET_ASSIGN_OR_RETURN(tam::DesiredState desired, DecodeDesiredState(json));
                    return EncodeDesiredStateCbor(desired);
                  });
}

}  // namespace teepnet::store
