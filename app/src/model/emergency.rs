//! The Norwegian emergency and help lines shown on the crisis screen.
//!
//! They are part of the domain, not of the UI: the crisis screen, the printed plan and the
//! clinician summary must all show the same numbers, dialled the same way.

/// Which service a number reaches; the UI turns this into a translated label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmergencyService {
    /// 113: medical emergency (ambulance, acute danger to life).
    Medical,
    /// 116 117: the out-of-hours doctor (legevakt).
    OutOfHoursDoctor,
    /// 116 123: Mental Helse's helpline, open day and night.
    MentalHealthHelpline,
    /// 22 40 00 40: Kirkens SOS, crisis line, open day and night.
    CrisisLine,
}

/// One line: how it is written for people, and the service it reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmergencyNumber {
    /// As Norwegians write it, with spaces ("116 117").
    pub display: &'static str,
    pub service: EmergencyService,
}

impl EmergencyNumber {
    /// The `tel:` link target: the digits only, so every phone dials it the same way.
    pub fn tel_href(&self) -> String {
        let digits: String = self.display.chars().filter(char::is_ascii_digit).collect();
        format!("tel:{digits}")
    }
}

/// In the order the crisis screen shows them: the most acute first.
pub const EMERGENCY_NUMBERS: [EmergencyNumber; 4] = [
    EmergencyNumber {
        display: "113",
        service: EmergencyService::Medical,
    },
    EmergencyNumber {
        display: "116 117",
        service: EmergencyService::OutOfHoursDoctor,
    },
    EmergencyNumber {
        display: "116 123",
        service: EmergencyService::MentalHealthHelpline,
    },
    EmergencyNumber {
        display: "22 40 00 40",
        service: EmergencyService::CrisisLine,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tel_links_are_digits_only() {
        let hrefs: Vec<String> = EMERGENCY_NUMBERS.iter().map(EmergencyNumber::tel_href).collect();
        assert_eq!(hrefs, ["tel:113", "tel:116117", "tel:116123", "tel:22400040"]);
    }

    #[test]
    fn every_service_appears_once() {
        for (i, a) in EMERGENCY_NUMBERS.iter().enumerate() {
            for b in &EMERGENCY_NUMBERS[i + 1..] {
                assert_ne!(a.service, b.service);
                assert_ne!(a.display, b.display);
            }
        }
    }
}
