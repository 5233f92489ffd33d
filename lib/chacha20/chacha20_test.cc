// lib/chacha20/chacha20_test.cc — ChaCha20 against every ChaCha20 test vector of RFC 8439
// (§2.1.1, §2.3.2, §2.4.2, Appendix A.1 and A.2), plus the counter limit.
#include "lib/chacha20/chacha20.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace hiillos::chacha20 {
namespace {

std::vector<uint8_t> FromHex(const std::string& hex) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

std::string ToHex(const uint8_t* bytes, size_t length) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < length; ++i) {
    hex.push_back(kDigits[bytes[i] >> 4]);
    hex.push_back(kDigits[bytes[i] & 0xf]);
  }
  return hex;
}

// Fills a fixed-size byte array (a key or a nonce) from exactly as many hex bytes.
template <size_t N>
void FillFromHex(const std::string& hex, uint8_t (&out)[N]) {
  const std::vector<uint8_t> bytes = FromHex(hex);
  ASSERT_EQ(bytes.size(), N);
  std::copy(bytes.begin(), bytes.end(), out);
}

Key KeyFromHex(const std::string& hex) {
  Key key{};
  FillFromHex(hex, key.bytes);
  return key;
}

Nonce NonceFromHex(const std::string& hex) {
  Nonce nonce{};
  FillFromHex(hex, nonce.bytes);
  return nonce;
}

std::string BlockHex(const Key& key, uint32_t counter, const Nonce& nonce) {
  uint8_t block[kBlockSize];
  Block(key, counter, nonce, block);
  return ToHex(block, sizeof(block));
}

std::string EncryptHex(const Key& key, uint32_t counter, const Nonce& nonce,
                       const std::string& plaintext) {
  std::vector<uint8_t> out(plaintext.size());
  const auto* in = reinterpret_cast<const uint8_t*>(plaintext.data());
  EXPECT_TRUE(Xor(key, counter, nonce, in, out.data(), out.size()).ok());
  return ToHex(out.data(), out.size());
}

const char kSequentialKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const char kZeroKey[] = "0000000000000000000000000000000000000000000000000000000000000000";
const char kOneKey[] = "0000000000000000000000000000000000000000000000000000000000000001";
const char kZeroNonce[] = "000000000000000000000000";
const char kTwoNonce[] = "000000000000000000000002";

const char kSunscreen[] =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
    "sunscreen would be it.";
const char kIetfContribution[] =
    "Any submission to the IETF intended by the Contributor for publication as all or part of an "
    "IETF Internet-Draft or RFC and any statement made within the context of an IETF activity is "
    "considered an \"IETF Contribution\". Such statements include oral statements in IETF "
    "sessions, as well as written and electronic communications made at any time or place, which "
    "are addressed to";
const char kJabberwocky[] =
    "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\nAll mimsy were the "
    "borogoves,\nAnd the mome raths outgrabe.";

TEST(QuarterRound, Rfc8439Section2_1_1) {
  uint32_t a = 0x11111111, b = 0x01020304, c = 0x9b8d6f43, d = 0x01234567;
  QuarterRound(a, b, c, d);
  EXPECT_EQ(a, 0xea2a92f4u);
  EXPECT_EQ(b, 0xcb1cf8ceu);
  EXPECT_EQ(c, 0x4581472eu);
  EXPECT_EQ(d, 0x5881c4bbu);
}

TEST(Block, Rfc8439Section2_3_2) {
  EXPECT_EQ(BlockHex(KeyFromHex(kSequentialKey), 1, NonceFromHex("000000090000004a00000000")),
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
}

TEST(Block, Rfc8439AppendixA1) {
  const Nonce zero_nonce = NonceFromHex(kZeroNonce);
  // Test vectors #1 to #5.
  EXPECT_EQ(BlockHex(KeyFromHex(kZeroKey), 0, zero_nonce),
            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
            "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
  EXPECT_EQ(BlockHex(KeyFromHex(kZeroKey), 1, zero_nonce),
            "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
            "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f");
  EXPECT_EQ(BlockHex(KeyFromHex(kOneKey), 1, zero_nonce),
            "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
            "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0");
  EXPECT_EQ(BlockHex(KeyFromHex("00ff000000000000000000000000000000000000000000000000000000000000"),
                     2, zero_nonce),
            "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
            "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096");
  EXPECT_EQ(BlockHex(KeyFromHex(kZeroKey), 0, NonceFromHex(kTwoNonce)),
            "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
            "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d");
}

TEST(Xor, Rfc8439Section2_4_2) {
  EXPECT_EQ(EncryptHex(KeyFromHex(kSequentialKey), 1, NonceFromHex("000000000000004a00000000"),
                       kSunscreen),
            "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
            "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
            "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
            "5af90bbf74a35be6b40b8eedf2785e42874d");
}

TEST(Xor, Rfc8439AppendixA2) {
  // Test vector #1: 64 zero bytes give the keystream of A.1 #1.
  EXPECT_EQ(EncryptHex(KeyFromHex(kZeroKey), 0, NonceFromHex(kZeroNonce), std::string(64, '\0')),
            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
            "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
  // Test vector #2: 375 bytes, six blocks, the last one partial.
  EXPECT_EQ(EncryptHex(KeyFromHex(kOneKey), 1, NonceFromHex(kTwoNonce), kIetfContribution),
            "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec"
            "2a97948bd3722915c8f3d337f7d370050e9e96d647b7c39f56e031ca5eb6250d"
            "4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
            "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85a"
            "d00f8449ed8f72d0d662ab052691ca66424bc86d2df80ea41f43abf937d3259d"
            "c4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
            "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6c"
            "cc3aaf9f3979c92b3720fc88dc95ed84a1be059c6499b9fda236e7e818b04b0b"
            "c39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
            "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e6"
            "98ced759c3ff9b6477338f3da4f9cd8514ea9982ccafb341b2384dd902f3d1ab"
            "7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221");
  // Test vector #3: counter 42.
  EXPECT_EQ(
      EncryptHex(KeyFromHex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0"), 42,
                 NonceFromHex(kTwoNonce), kJabberwocky),
      "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf"
      "166d3df2d721caf9b21e5fb14c616871fd84c54f9d65b283196c7fe4f60553eb"
      "f39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
      "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1");
}

TEST(Xor, DecryptsInPlace) {
  const Key key = KeyFromHex(kOneKey);
  const Nonce nonce = NonceFromHex(kTwoNonce);
  std::string text = kIetfContribution;
  auto* bytes = reinterpret_cast<uint8_t*>(text.data());
  ASSERT_TRUE(Xor(key, 1, nonce, bytes, bytes, text.size()).ok());
  EXPECT_NE(text, kIetfContribution);
  ASSERT_TRUE(Xor(key, 1, nonce, bytes, bytes, text.size()).ok());
  EXPECT_EQ(text, kIetfContribution);
}

TEST(Keystream, MatchesConsecutiveBlocksAtAnyLength) {
  const Key key = KeyFromHex(kSequentialKey);
  const Nonce nonce = NonceFromHex(kTwoNonce);
  std::vector<uint8_t> blocks(4 * kBlockSize);
  for (uint32_t i = 0; i < 4; ++i) Block(key, 7 + i, nonce, blocks.data() + i * kBlockSize);
  for (size_t length : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{256}}) {
    std::vector<uint8_t> stream(length + 1, 0xaa);
    ASSERT_TRUE(Keystream(key, 7, nonce, stream.data(), length).ok());
    EXPECT_TRUE(std::equal(stream.begin(), stream.begin() + length, blocks.begin())) << length;
    EXPECT_EQ(stream[length], 0xaa) << "wrote past the end at length " << length;
  }
}

TEST(Keystream, RefusesToWrapTheCounter) {
  const Key key = KeyFromHex(kZeroKey);
  const Nonce nonce = NonceFromHex(kZeroNonce);
  uint8_t out[2 * kBlockSize] = {};
  // The last block the counter can address.
  EXPECT_TRUE(Keystream(key, UINT32_MAX, nonce, out, kBlockSize).ok());
  auto wrapped = Keystream(key, UINT32_MAX, nonce, out + kBlockSize, kBlockSize + 1);
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error(), Error::kCounterOverflow);
  for (size_t i = kBlockSize; i < sizeof(out); ++i) EXPECT_EQ(out[i], 0) << "written at " << i;
  EXPECT_TRUE(Keystream(key, UINT32_MAX - 1, nonce, out, 2 * kBlockSize).ok());
  EXPECT_STREQ(ErrorName(Error::kCounterOverflow), "ChaCha20 block counter would wrap");
}

}  // namespace
}  // namespace hiillos::chacha20
